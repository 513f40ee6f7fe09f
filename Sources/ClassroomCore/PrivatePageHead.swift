/// The start of every page the system writes, up to `<body>`: a Content-Security-Policy that lets
/// nothing load but the page's own inline style (and, where it has them, its inline `data:`
/// images), no referrer, no indexing. A page holds students' names: whoever opens it through a
/// shared link must leak nothing to any other server.
enum PrivatePageHead {
    static func html(title: String, style: String, inlineImages: Bool) -> String {
        let images = inlineImages ? " img-src data:;" : ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none';\(images) style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
            <meta name="referrer" content="no-referrer">
            <meta name="robots" content="noindex, nofollow">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(AttendanceReportPage.escape(title))</title>
            <style>\(style)</style>
            </head>
            <body>

            """
    }
}
