import { css } from 'lit';

/**
 * Adopted as a constructable stylesheet by Lit: no injected <style>, so the
 * element works under a Content-Security-Policy without 'unsafe-inline'.
 */
export const styles = css`
  :host {
    display: block;
    font: inherit;
    color: inherit;
  }
  :host([hidden]) {
    display: none;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  legend {
    padding: 0;
    margin-block-end: 0.5em;
    font-weight: 600;
  }
  .purpose {
    display: grid;
    grid-template-columns: auto 1fr;
    column-gap: 0.6em;
    align-items: start;
    margin-block-end: var(--marketing-consent-gap, 0.75em);
  }
  input[type='checkbox'] {
    /* WCAG 2.2 SC 2.5.8: a target of at least 24 by 24 CSS pixels. */
    inline-size: max(24px, var(--marketing-consent-box-size, 1.5rem));
    block-size: max(24px, var(--marketing-consent-box-size, 1.5rem));
    margin: 0;
    accent-color: var(--marketing-consent-accent, auto);
    cursor: pointer;
  }
  input[type='checkbox']:focus-visible {
    outline: 3px solid var(--marketing-consent-focus-color, currentColor);
    outline-offset: 2px;
  }
  label {
    align-self: center;
    font-weight: 600;
    cursor: pointer;
    /* The label is a second, larger target for the same box. */
    padding-block: 0.15em;
  }
  .text {
    margin: 0;
    color: var(--marketing-consent-text-color, inherit);
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .hint:not(:empty) {
    margin-block-start: 0.75em;
    font-weight: 600;
  }
  .purpose .text {
    grid-column: 2;
  }
  #notice {
    font-size: 0.9em;
  }
  a {
    color: var(--marketing-consent-link-color, LinkText);
    text-decoration: underline;
  }
  a:focus-visible {
    outline: 2px solid var(--marketing-consent-focus-color, currentColor);
    outline-offset: 2px;
  }
  input:disabled,
  input:disabled + label {
    cursor: not-allowed;
  }
  @media (forced-colors: active) {
    input[type='checkbox'] {
      forced-color-adjust: auto;
    }
    input[type='checkbox']:focus-visible,
    a:focus-visible {
      outline-color: Highlight;
    }
    a {
      color: LinkText;
    }
  }
`;
