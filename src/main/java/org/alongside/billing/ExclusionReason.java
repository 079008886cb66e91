package org.alongside.billing;

/**
 * Why a session in the period is not billed: the codes of the {@code billing-exclusion} code system, checked in
 * this order (the first that applies is the reason given).
 */
public enum ExclusionReason {
    NOT_FINISHED("not-finished", "The session is not finished (planned, in progress or cancelled)"),
    NO_MODALITY("no-modality", "How the session took place (in person, phone, video) is not recorded"),
    ASYNCHRONOUS("asynchronous", "Text messages are not billable as H0038"),
    NO_UNITS("no-units", "Shorter than the minimum for one unit"),
    NOT_COSIGNED("not-cosigned", "No supervisor has co-signed the session or its note"),
    CHANGED_AFTER_COSIGNATURE("changed-after-cosignature",
            "The session or its note changed after the supervisor co-signed it; co-sign the current version"),
    NO_DIAGNOSIS("no-diagnosis", "The care plan addresses no ICD-10-CM diagnosis"),
    NO_PAYMENT_CONSENT("no-payment-consent",
            "A 42 CFR Part 2 record, and no active consent of the person permits disclosing it for payment"),
    OVER_DAILY_CAP("over-daily-cap", "Billing it would exceed the person's daily unit cap");

    private final String code;
    private final String display;

    ExclusionReason(String code, String display) {
        this.code = code;
        this.display = display;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }
}
