import { css } from 'lit';

/** Shared look of the staff elements: plain, readable, themeable, forced-colours safe. */
export const staffStyles = css`
  :host {
    display: block;
    font: inherit;
    color: inherit;
    /* Reflow at 320 CSS px (WCAG 1.4.10): long addresses and hashes wrap instead of widening the page. */
    min-width: 0;
    overflow-wrap: anywhere;
    --_accent: var(--marketing-consent-file-accent, #2b2230);
    --_granted: var(--marketing-consent-file-granted, #1d6b37);
    --_withdrawn: var(--marketing-consent-file-withdrawn, #8a1c1c);
  }
  :host([hidden]) {
    display: none;
  }
  h3 {
    margin: 0 0 0.4em;
    font-size: 1.05em;
  }
  p {
    margin: 0.25em 0;
  }
  .purposes {
    display: grid;
    gap: 0.75em;
    grid-template-columns: repeat(auto-fit, minmax(min(16em, 100%), 1fr));
  }
  .purpose {
    border: 1px solid #c9bfc6;
    border-left: 6px solid #8c8490;
    border-radius: 0.5em;
    padding: 0.75em 1em;
  }
  .purpose.granted {
    border-left-color: var(--_granted);
  }
  .purpose.withdrawn {
    border-left-color: var(--_withdrawn);
  }
  .badge {
    display: inline-block;
    font-weight: 700;
    padding: 0.1em 0.6em;
    border-radius: 999px;
    border: 2px solid currentColor;
  }
  .badge.granted {
    color: var(--_granted);
  }
  .badge.withdrawn {
    color: var(--_withdrawn);
  }
  .badge.pending {
    color: #8a5a00;
    border-style: dashed;
  }
  .mails {
    margin: 0.25rem 0 0;
    padding-left: 1.2rem;
    font-size: 0.92em;
  }
  .hint {
    color: #5d5562;
    font-size: 0.92em;
  }
  .flags {
    color: var(--_withdrawn);
    font-weight: 600;
    padding-left: 1.2em;
  }
  blockquote {
    white-space: pre-line;
    margin: 0.5em 0;
    padding: 0.5em 0.75em;
    border-left: 3px solid #8c8490;
    background: #f6f3f5;
  }
  .timeline {
    list-style: none;
    padding: 0;
    margin: 0;
    border-left: 2px solid #c9bfc6;
  }
  .timeline li {
    display: grid;
    padding: 0.3em 0 0.5em 1em;
    position: relative;
  }
  .timeline time {
    font-weight: 600;
  }
  .how {
    color: #5d5562;
  }
  .forms {
    display: grid;
    gap: 1em;
    grid-template-columns: repeat(auto-fit, minmax(min(18em, 100%), 1fr));
    margin-top: 1em;
  }
  form {
    display: grid;
    gap: 0.6em;
    align-content: start;
    border: 1px solid #c9bfc6;
    border-radius: 0.5em;
    padding: 0.75em 1em;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0;
  }
  legend {
    font-weight: 600;
    padding: 0;
    margin-bottom: 0.25em;
  }
  label {
    display: grid;
    gap: 0.2em;
  }
  label.choice {
    display: flex;
    gap: 0.5em;
    align-items: center;
    min-height: 44px;
  }
  select {
    /* WebKit lays the chosen option's text out at its full width inside the select, and that overflow
       widened the page at 320 px: paint containment keeps it inside the select's own box. */
    contain: paint;
  }
  input:not([type='checkbox']),
  select {
    /* A long option (an erasure reason) must not widen the form past a phone's screen. */
    max-inline-size: 100%;
    min-inline-size: 0;
    font: inherit;
    min-height: 44px;
    padding: 0.3em 0.6em;
    border: 1px solid #8c8490;
    border-radius: 0.4em;
  }
  input[type='checkbox'] {
    flex: none;
    inline-size: 24px;
    block-size: 24px;
    margin: 0;
    accent-color: var(--_accent);
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    padding: 0.4em 1.2em;
    border-radius: 999px;
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: #fff;
    cursor: pointer;
    justify-self: start;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  /* Erasing cannot be undone: the form and its button say so in colour as well as in words. */
  form.erase {
    margin-top: 1em;
    border-color: var(--_withdrawn);
  }
  button.danger {
    background: var(--_withdrawn);
    border-color: var(--_withdrawn);
  }
  .erasure-note {
    border-inline-start: 4px solid var(--_withdrawn);
    padding-inline-start: 0.75em;
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .error,
  .errors {
    color: var(--_withdrawn);
    border: 2px solid currentColor;
    border-radius: 0.5em;
    padding: 0.5em 0.75em;
    margin: 0.5em 0;
  }
  .errors ul {
    margin: 0;
    padding-left: 1.2em;
  }
  .status-line:empty {
    display: none;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.3em 0.6em;
    border-bottom: 1px solid #c9bfc6;
    overflow-wrap: anywhere;
  }
  .count {
    font-size: 1.4em;
    font-weight: 700;
  }
  @media (forced-colors: active) {
    .purpose,
    .badge,
    .error,
    .errors,
    form {
      border-color: CanvasText;
    }
    button {
      border-color: ButtonText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;
