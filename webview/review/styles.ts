import { css } from 'lit'

// Every style is a Lit `css` sheet (adoptedStyleSheets), which the webview CSP allows without a nonce.

export const base = css`
  :host {
    color: var(--vscode-foreground, #ccc);
    font-family: var(--vscode-font-family, system-ui, sans-serif);
    font-size: var(--vscode-font-size, 13px);
  }
  .muted {
    opacity: 0.7;
  }
  .spacer {
    flex: 1;
  }
  .error {
    color: var(--vscode-errorForeground, #f48771);
  }
  code,
  pre {
    font-family: var(--vscode-editor-font-family, ui-monospace, monospace);
  }
`

export const appStyles = [
  base,
  css`
    :host {
      position: fixed;
      inset: 0;
      display: grid;
      grid-template-columns: minmax(260px, 30%) 1fr;
      grid-template-rows: auto 1fr auto;
      background: var(--vscode-editor-background, #1e1e1e);
    }
    #shard {
      grid-column: 1 / 3;
      display: flex;
      gap: 16px;
      align-items: baseline;
      padding: 4px 12px;
      border-bottom: 1px solid var(--vscode-panel-border, #8884);
    }
    #shard h1 {
      font-size: 1.1em;
      margin: 0;
    }
    #shard dl {
      display: flex;
      gap: 4px 12px;
      margin: 0;
    }
    #shard dt {
      opacity: 0.7;
    }
    #shard dd {
      margin: 0 8px 0 0;
    }
    #left {
      display: flex;
      flex-direction: column;
      min-height: 0;
      border-right: 1px solid var(--vscode-panel-border, #8884);
    }
    #estimate {
      padding: 4px 8px;
      border-bottom: 1px solid var(--vscode-panel-border, #8884);
      font-size: 0.9em;
    }
    #estimate .verdict {
      font-weight: 600;
      text-transform: uppercase;
    }
    #estimate .verdict.accept {
      color: var(--vscode-testing-iconPassed, #73c991);
    }
    #estimate .verdict.reject {
      color: var(--vscode-errorForeground, #f48771);
    }
    phoenix-record-list {
      flex: 1;
      min-height: 0;
      contain: strict;
    }
    #right {
      overflow: auto;
      min-height: 0;
      /* A new record lays out without touching the list, and the reverse. */
      contain: strict;
    }
    #status {
      grid-column: 1 / 3;
      padding: 2px 12px;
      min-height: 1.4em;
      border-top: 1px solid var(--vscode-panel-border, #8884);
    }
    #status.error {
      color: var(--vscode-errorForeground, #f48771);
    }
    dialog {
      color: var(--vscode-foreground, #ccc);
      background: var(--vscode-editorWidget-background, #252526);
      border: 1px solid var(--vscode-widget-border, var(--vscode-focusBorder, #007fd4));
      box-shadow: 0 4px 16px var(--vscode-widget-shadow, #0008);
      padding: 12px 16px;
      min-width: 380px;
    }
    dialog::backdrop {
      background: #0006;
    }
    dialog h3 {
      margin: 0 0 8px;
      font-size: 1.05em;
    }
    #flag-dialog label {
      display: block;
      margin: 8px 0 2px;
    }
    #flag-dialog vscode-single-select,
    #flag-dialog vscode-textarea {
      width: 100%;
    }
    .dialog-buttons {
      display: flex;
      gap: 8px;
      margin-top: 12px;
      align-items: center;
    }
    #help table {
      border-collapse: collapse;
    }
    #help td {
      padding: 2px 12px 2px 0;
    }
    kbd {
      font-family: var(--vscode-editor-font-family, monospace);
      border: 1px solid var(--vscode-widget-border, #8886);
      border-radius: 3px;
      padding: 0 4px;
    }
  `,
]

export const listStyles = [
  base,
  css`
    :host {
      display: flex;
      flex-direction: column;
    }
    lit-virtualizer {
      flex: 1;
      min-height: 0;
    }
    .window-shift {
      color: inherit;
      background: var(--vscode-button-secondaryBackground, #3a3d41);
      border: none;
      padding: 2px;
      cursor: pointer;
    }
    .row {
      box-sizing: border-box;
      width: 100%;
      height: 36px;
      padding: 1px 8px;
      display: grid;
      grid-template-columns: auto 1fr auto;
      grid-template-rows: 19px 14px;
      column-gap: 8px;
      cursor: pointer;
      border-bottom: 1px solid var(--vscode-panel-border, #8882);
      overflow: hidden;
      contain: strict;
    }
    .row:hover {
      background: var(--vscode-list-hoverBackground, #2a2d2e);
    }
    .row.selected {
      background: var(--vscode-list-activeSelectionBackground, #04395e);
      color: var(--vscode-list-activeSelectionForeground, inherit);
    }
    .idx {
      grid-row: 1 / 3;
      align-self: center;
      min-width: 4em;
      text-align: right;
      opacity: 0.7;
      font-variant-numeric: tabular-nums;
    }
    .preview {
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .meta {
      grid-column: 2 / 4;
      display: flex;
      gap: 8px;
      font-size: 11px;
      line-height: 14px;
      opacity: 0.8;
      white-space: nowrap;
    }
    .badges {
      display: flex;
      gap: 4px;
    }
    .row-flags {
      color: var(--vscode-editorWarning-foreground, #cca700);
    }
    .row-qa {
      color: var(--vscode-editorInfo-foreground, #3794ff);
    }
    .row-approved {
      color: var(--vscode-testing-iconPassed, #73c991);
    }
    .row-risk {
      color: var(--vscode-editorWarning-foreground, #cca700);
    }
    .risk-why {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .row.error .preview {
      color: var(--vscode-errorForeground, #f48771);
    }
    .row.loading {
      opacity: 0.4;
    }
  `,
]

export const filterStyles = [
  base,
  css`
    :host {
      display: block;
      padding: 6px 8px;
      border-bottom: 1px solid var(--vscode-panel-border, #8884);
    }
    #filters {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px 8px;
      align-items: center;
    }
    vscode-single-select,
    vscode-textfield {
      width: 100%;
    }
    .ratio {
      display: flex;
      gap: 4px;
    }
    .ratio vscode-textfield {
      width: 50%;
    }
    .filter-count {
      opacity: 0.75;
    }
    #match {
      grid-column: 1 / 3;
      font-size: 0.9em;
    }
  `,
]

export const recordStyles = [
  base,
  css`
    :host {
      display: block;
      padding: 8px 12px 24px;
    }
    #record.loading {
      opacity: 0.75;
    }
    .record-head {
      display: flex;
      gap: 10px;
      align-items: center;
      flex-wrap: wrap;
      position: sticky;
      top: -8px;
      padding: 4px 0;
      background: var(--vscode-editor-background, #1e1e1e);
      z-index: 1;
    }
    .record-head h2 {
      margin: 0;
      font-size: 1.15em;
    }
    .is-approved {
      color: var(--vscode-testing-iconPassed, #73c991);
    }
    .pick-state {
      font-weight: 600;
    }
    .columns-head,
    .segment {
      display: grid;
      grid-template-columns: 1fr 1fr auto;
      column-gap: 12px;
    }
    .columns-head {
      margin: 8px 0 2px;
      padding: 0 9px 0 12px;
      font-weight: 600;
      opacity: 0.7;
    }
    .unit {
      margin: 8px 0;
      border: 1px solid var(--vscode-panel-border, #8884);
      border-radius: 4px;
    }
    .unit.focused-unit,
    .unit.editing {
      outline: 1px solid var(--vscode-focusBorder, #007fd4);
    }
    .unit-head {
      display: flex;
      gap: 8px;
      align-items: center;
      padding: 2px 8px;
      background: var(--vscode-sideBarSectionHeader-background, #8881);
    }
    .role {
      font-weight: 600;
      text-transform: capitalize;
    }
    .address {
      opacity: 0.6;
      font-size: 0.9em;
    }
    .edited {
      color: var(--vscode-gitDecoration-modifiedResourceForeground, #e2c08d);
      font-size: 0.9em;
    }
    .segment {
      padding: 4px 8px;
      border-top: 1px solid var(--vscode-panel-border, #8882);
      border-left: 3px solid transparent;
    }
    .segment.focused {
      border-left-color: var(--vscode-focusBorder, #007fd4);
      background: var(--vscode-editor-selectionHighlightBackground, #add6ff26);
    }
    .segment.flagged {
      border-left-color: var(--vscode-editorWarning-foreground, #cca700);
    }
    .segment.qa-flagged:not(.flagged):not(.focused) {
      border-left-color: var(--vscode-editorInfo-foreground, #3794ff);
    }
    .segment.focused.flagged {
      border-left-color: var(--vscode-focusBorder, #007fd4);
    }
    .src,
    .tgt {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .prose {
      white-space: pre-wrap;
    }
    pre.code {
      white-space: pre-wrap;
      margin: 2px 0;
      padding: 4px 6px;
      background: var(--vscode-textCodeBlock-background, #8882);
      border-radius: 3px;
    }
    .seg-flag {
      background: none;
      border: none;
      color: inherit;
      opacity: 0.35;
      cursor: pointer;
      align-self: start;
    }
    .segment:hover .seg-flag,
    .segment.focused .seg-flag {
      opacity: 0.9;
    }
    .seg-flags,
    .flags {
      grid-column: 1 / 4;
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding: 2px 8px;
    }
    .flag,
    .qa-flag {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
      font-size: 0.95em;
    }
    .flag .sev,
    .qa-flag .automatic {
      font-size: 0.85em;
      padding: 0 4px;
      border-radius: 3px;
      border: 1px solid currentColor;
    }
    .flag.sev-critical .sev,
    .flag.sev-major .sev,
    .qa-flag.qa-error .automatic {
      color: var(--vscode-errorForeground, #f48771);
    }
    .flag.sev-minor .sev,
    .qa-flag.qa-warning .automatic {
      color: var(--vscode-editorWarning-foreground, #cca700);
    }
    .qa-flag.status-dismissed {
      opacity: 0.55;
    }
    .qa-flag .status {
      font-size: 0.85em;
      opacity: 0.8;
    }
    .comment {
      font-style: italic;
      white-space: pre-wrap;
    }
    .editor vscode-textarea {
      width: 100%;
    }
    .edit-bar {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 4px 0;
    }
    .diff-row {
      display: grid;
      grid-template-columns: 1fr 1fr auto;
      column-gap: 12px;
      padding: 4px 8px;
      border-top: 1px dashed var(--vscode-panel-border, #8884);
    }
    .diff-label {
      text-align: right;
    }
    .diff {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .diff del {
      background: var(--vscode-diffEditor-removedTextBackground, #ff000033);
      text-decoration: line-through;
    }
    .diff ins {
      background: var(--vscode-diffEditor-insertedTextBackground, #9bb95533);
      text-decoration: none;
    }
    #completions {
      margin-top: 12px;
    }
    .pick-bar {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    .pending {
      color: var(--vscode-editorWarning-foreground, #cca700);
    }
    .completion {
      margin: 8px 0;
      padding: 2px 6px;
      border: 1px solid var(--vscode-panel-border, #8884);
      border-left-width: 4px;
      border-radius: 4px;
    }
    .completion.picked-chosen {
      border-color: var(--vscode-testing-iconPassed, #73c991);
    }
    .completion.picked-rejected {
      border-color: var(--vscode-errorForeground, #f48771);
    }
    .completion-head {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
      padding: 2px 0;
    }
    .completion-num {
      font-weight: 700;
      min-width: 1.2em;
      text-align: center;
      border: 1px solid currentColor;
      border-radius: 3px;
    }
    .pick-tag.chosen {
      color: var(--vscode-testing-iconPassed, #73c991);
      font-weight: 600;
    }
    .pick-tag.rejected {
      color: var(--vscode-errorForeground, #f48771);
      font-weight: 600;
    }
    .model,
    .score {
      opacity: 0.8;
    }
  `,
]
