import { randomBytes } from 'node:crypto'
import * as vscode from 'vscode'

/**
 * The HTML shell of a webview: one bundled script with a per-load nonce and a CSP that allows nothing
 * else to run, so dataset text that looks like markup can never execute.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: string, title: string, styles: string[] = []): string {
  const nonce = randomBytes(16).toString('base64')
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${app}.js`))
  const links = styles.map((s) => `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', s))}">`).join('\n')
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${title.replace(/[<>&"]/g, '')}</title>
${links}
</head>
<body>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`
}
