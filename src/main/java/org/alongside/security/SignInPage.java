package org.alongside.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/** The development sign-in page: pick a role and the Practitioner you act as. All values are HTML-escaped. */
final class SignInPage {

    private SignInPage() {
    }

    static String render(HttpServletRequest request, List<String> carriedParameters) {
        StringBuilder hidden = new StringBuilder();
        for (String name : carriedParameters) {
            String value = request.getParameter(name);
            if (value != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(escape(value)).append("\">\n");
            }
        }
        StringBuilder roles = new StringBuilder();
        for (Role role : Role.values()) {
            roles.append("<option value=\"").append(role.claimValue()).append("\">").append(role.claimValue())
                    .append("</option>");
        }
        boolean needsPatient = request.getParameter("launch") == null
                && String.valueOf(request.getParameter("scope")).contains("launch/patient");
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Alongside development sign-in</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}"
                + "label{display:block;margin:1rem 0 .25rem}select,input,button{font-size:1rem;min-height:44px;width:100%}"
                + "button{margin-top:1.5rem}</style></head><body><main>"
                + "<h1>Development sign-in</h1>"
                + "<p>This server runs in development mode. Choose who you are; never use this with real patients.</p>"
                + "<form method=\"post\" action=\"" + escape(request.getContextPath()) + "/auth/authorize\">\n"
                + hidden
                + "<label for=\"role\">Role</label><select id=\"role\" name=\"role\">" + roles + "</select>"
                + "<label for=\"practitioner\">Practitioner or PractitionerRole id</label>"
                + "<input id=\"practitioner\" name=\"practitioner\" autocomplete=\"off\">"
                + (needsPatient ? "<label for=\"patient\">Patient id</label>"
                        + "<input id=\"patient\" name=\"patient\" autocomplete=\"off\">" : "")
                + "<button id=\"sign-in\" type=\"submit\">Sign in</button></form></main></body></html>";
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
