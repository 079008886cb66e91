// H0038 billing units, the same rule as the server's BillingUnits (org.alongside.mentorship.BillingUnits):
// one unit per full unitMinutes, plus one for a final part of at least minimumMinutes. The two numbers come
// from the server (/app/config.json, settings alongside.billing.unit-minutes and .minimum-minutes).
export function billingUnits(minutes, unitMinutes = 15, minimumMinutes = 8) {
  if (!(minutes >= 0)) return 0;
  const whole = Math.floor(minutes);
  const full = Math.floor(whole / unitMinutes);
  const rest = whole % unitMinutes;
  return full + (rest >= minimumMinutes ? 1 : 0);
}
