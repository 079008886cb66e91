<%@ page contentType="text/html;charset=UTF-8" %>
<!doctype html>
<html lang="en">
<head><title>Riverside clinic</title></head>
<body>
<h1>Riverside clinic</h1>
<%-- evaluated by the clinic's own pages-3.1, so the page proves the host's feature still works --%>
<p id="portal">Staff portal, page rendered by <%= application.getServerInfo().isEmpty() ? "nobody" : "JSP " + (6 * 7) %></p>
</body>
</html>
