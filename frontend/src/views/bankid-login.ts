import {
  ApiError,
  api,
  type BankIdMessage,
  type BankIdMethod,
  type BankIdProgress,
  type BankIdStart,
  type Session,
} from '../api';
import { h, replaceChildren, svg } from '../dom';
import { messages } from '../i18n';
import { drawQrCode } from '../qr-code';

/** Never poll faster than this, whatever the server says (BANKID.md: about every 2 s). */
const MIN_POLL_MS = 1000;
/** Polls that may fail on the network in a row (a moment without coverage) before the login is given up. */
const MAX_NETWORK_FAILURES = 3;

/** What the BankID app's return URL brings back (`#login=…&nonce=…`, see BANKID_RETURN_PATH). */
export interface BankIdReturn {
  readonly loginId: string;
  readonly nonce: string;
}

export interface BankIdLoginOptions {
  /** The same callback as the password login's: the session cookie is set, `session` is the contact's profile. */
  readonly onLoggedIn: (session: Session) => void;
  /** The portal has no BankID (503 bankid_unavailable): the login page then offers the password only. */
  readonly onUnavailable: () => void;
  /** This page is where the BankID app sent the user back to: carry on with that login at once. */
  readonly returned?: BankIdReturn;
}

interface PendingLogin {
  readonly loginId: string;
  readonly method: BankIdMethod;
  readonly pollAfterMs: number;
  /** The QR code's `<svg>`, redrawn with every frame the polls bring; absent for a start on this device. */
  readonly qr: SVGElement | undefined;
  /** Only on the page the app returned to: the nonce that lets this page complete the login. */
  readonly returnNonce?: string;
}

/** Reads a return URL's fragment (`#login=<uuid>&nonce=<uuid>`); undefined for anything else. */
export function parseBankIdReturn(fragment: string): BankIdReturn | undefined {
  const parameters = new URLSearchParams(fragment.replace(/^#/u, ''));
  const loginId = parameters.get('login');
  const nonce = parameters.get('nonce');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
  return loginId && nonce && uuid.test(loginId) && uuid.test(nonce) ? { loginId, nonce } : undefined;
}

/**
 * BankID login: "Mobilt BankID" shows an animated QR code for the app on another device, "BankID på den här
 * enheten" opens the app on this one (from the user's click only). While the order is pending, the section polls
 * collect every `pollAfterMs`, redraws the QR code and shows BankID's own message in a live region. Nothing restarts
 * by itself: a failed or expired order waits for the user to choose "Försök igen" (BankID's accessibility advice).
 * Polling stops — and the order is cancelled — when the user cancels, leaves the view or closes the page.
 */
export function bankIdLoginSection(options: BankIdLoginOptions): HTMLElement {
  const t = messages.bankId;
  const heading = h('h2', { id: 'bankid-heading' }, t.heading);
  // One region for the whole flow, present from the start: assistive technology announces only changes to a
  // region it already knows.
  const status = h('div', { class: 'bankid-status', role: 'status', 'aria-atomic': 'true' });
  const body = h('div', { class: 'bankid-body' });
  const element = h(
    'section',
    { class: 'login-method login-bankid', 'aria-labelledby': 'bankid-heading' },
    heading,
    status,
    body,
  );

  let pending: PendingLogin | undefined;
  /** Bumped by every change of state, so that answers to an older request are ignored. */
  let generation = 0;
  let timer: number | undefined;
  let polling = false;
  let networkFailures = 0;
  let shownMessageId: string | undefined;

  const setStatus = (kind: 'info' | 'error' | undefined, text?: string): void => {
    shownMessageId = undefined;
    replaceChildren(status, kind && text !== undefined && h('p', { class: `message message-${kind}` }, text));
  };

  /** BankID's message for the current state; the same message is not written again (no repeated announcements). */
  const showBankIdMessage = (message: BankIdMessage): void => {
    if (message.id === shownMessageId) {
      return;
    }
    setStatus('info', bankIdText(message));
    shownMessageId = message.id;
  };

  /** Replaces the section's controls; moves focus only if it was inside them (never out of the password form). */
  const render = (content: HTMLElement, focusTarget: HTMLElement | undefined, forceFocus = false): void => {
    const focusWasInside = body.contains(document.activeElement) || document.activeElement === document.body;
    replaceChildren(body, content);
    if (focusTarget && (forceFocus || focusWasInside)) {
      focusTarget.focus();
    }
  };

  const stop = (): void => {
    generation += 1;
    window.clearTimeout(timer);
    timer = undefined;
    polling = false;
    networkFailures = 0;
    pending = undefined;
    window.removeEventListener('pagehide', onPageHide);
    document.removeEventListener('visibilitychange', onVisibilityChange);
  };

  /** Stops and tells the server (and so BankID) that this order is no longer wanted. Best effort. */
  const abandon = (keepalive = false): void => {
    const login = pending;
    stop();
    if (login) {
      api.bankId.cancel(login.loginId, { keepalive }).catch(() => {
        // The order expires at BankID within seconds anyway.
      });
    }
  };

  const schedule = (delay: number): void => {
    window.clearTimeout(timer);
    const current = generation;
    timer = window.setTimeout(() => void poll(current), delay);
  };

  const poll = async (current: number): Promise<void> => {
    timer = undefined;
    const login = pending;
    if (current !== generation || !login || polling) {
      return;
    }
    if (!element.isConnected) {
      // The login page was left (e.g. the password login succeeded meanwhile).
      abandon();
      return;
    }
    polling = true;
    let progress: BankIdProgress;
    try {
      progress = await api.bankId.collect(login.loginId, login.returnNonce);
    } catch (error) {
      if (current !== generation) {
        return;
      }
      polling = false;
      if (error instanceof ApiError && error.code === 'network_error' && ++networkFailures < MAX_NETWORK_FAILURES) {
        schedule(login.pollAfterMs);
        return;
      }
      stop();
      if (login.method === 'autostart' && (await loggedInElsewhere(generation))) {
        return;
      }
      showFailed(login.method, collectErrorText(error));
      return;
    }
    if (current !== generation) {
      return;
    }
    polling = false;
    networkFailures = 0;
    if (!element.isConnected) {
      if (progress.status === 'pending') {
        abandon();
      } else {
        stop();
      }
      return;
    }
    switch (progress.status) {
      case 'pending':
        showBankIdMessage(progress.message);
        if (login.qr && progress.qrData !== undefined) {
          drawQrCode(login.qr, progress.qrData);
        }
        schedule(login.pollAfterMs);
        return;
      case 'awaiting_return':
        // Approved in the app; the login completes in the tab the app opens, and this one learns of it then.
        setStatus('info', t.awaitingReturn);
        schedule(login.pollAfterMs);
        return;
      case 'failed':
        stop();
        showFailed(login.method, bankIdText(progress.message));
        return;
      case 'no_access':
        stop();
        showChoice(undefined);
        setStatus('error', t.noAccess);
        return;
      case 'complete':
        stop();
        options.onLoggedIn(progress.profile);
        return;
    }
  };

  /**
   * A login on this device may be completed by another tab of this browser (the one the app opened): then this
   * tab's order is gone, but the session cookie is there. Shows the documents in that case.
   */
  async function loggedInElsewhere(stoppedAt: number): Promise<boolean> {
    const session = await api.getSession().catch(() => null);
    // The user may have started something else meanwhile; then that wins.
    if (!session || stoppedAt !== generation || !element.isConnected) {
      return false;
    }
    options.onLoggedIn(session);
    return true;
  }

  function onPageHide(): void {
    // The page is closing or going into the back/forward cache: end the order, and come back to the choice.
    if (pending) {
      abandon(true);
      showChoice(undefined);
      setStatus(undefined);
    }
  }

  function onVisibilityChange(): void {
    // Back from the BankID app (or another tab): ask at once instead of waiting for a throttled timer.
    if (document.visibilityState === 'visible' && pending && !polling) {
      schedule(0);
    }
  }

  const begin = async (method: BankIdMethod, choiceButtons: readonly HTMLButtonElement[]): Promise<void> => {
    stop();
    const current = generation;
    setStatus(undefined);
    for (const button of choiceButtons) {
      button.setAttribute('aria-disabled', 'true');
    }
    const chosen = choiceButtons.find((button) => button.dataset.method === method);
    if (chosen) {
      chosen.textContent = t.starting;
    }
    let started: BankIdStart;
    try {
      started = await api.bankId.start(method);
    } catch (error) {
      if (current !== generation) {
        return;
      }
      if (error instanceof ApiError && error.code === 'bankid_unavailable') {
        options.onUnavailable();
        return;
      }
      showChoice(method);
      setStatus('error', startErrorText(error));
      return;
    }
    if (current !== generation || !element.isConnected) {
      api.bankId.cancel(started.loginId).catch(() => {});
      return;
    }

    const pollAfterMs = Math.max(MIN_POLL_MS, started.pollAfterMs);
    if (method === 'qr') {
      const qr = svg('svg', {
        class: 'bankid-qr-code',
        role: 'img',
        'aria-label': t.qrLabel,
        'shape-rendering': 'crispEdges',
      });
      if (started.qrData !== undefined) {
        drawQrCode(qr, started.qrData);
      }
      pending = { loginId: started.loginId, method, pollAfterMs, qr };
      showQr(qr);
    } else {
      pending = { loginId: started.loginId, method, pollAfterMs, qr: undefined };
      const url = started.autoStartToken === undefined ? undefined : autoStartUrl(started.autoStartToken);
      showSameDevice(url);
      // Opened only while the user's click still counts as a gesture; otherwise the link below does it.
      if (url !== undefined && clickStillActive()) {
        window.location.assign(url);
      }
    }
    showBankIdMessage(started.message);
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibilityChange);
    schedule(pollAfterMs);
  };

  const cancelButton = (): HTMLButtonElement => {
    const button = h('button', { type: 'button', class: 'button button-secondary' }, t.cancel);
    button.addEventListener('click', () => {
      const method = pending?.method;
      abandon();
      showChoice(method, true);
      setStatus('info', t.cancelled);
    });
    return button;
  };

  function showChoice(focusMethod: BankIdMethod | undefined, forceFocus = false): void {
    const choices: Array<[BankIdMethod, string, string, string]> = [
      ['qr', t.qr, t.qrHint, 'button-primary'],
      ['autostart', t.sameDevice, t.sameDeviceHint, 'button-secondary'],
    ];
    const buttons: HTMLButtonElement[] = [];
    const items = choices.map(([method, label, hint, style]) => {
      const hintId = `bankid-${method}-hint`;
      const button = h(
        'button',
        { type: 'button', class: `button ${style} button-block`, 'data-method': method, 'aria-describedby': hintId },
        label,
      );
      button.addEventListener('click', () => {
        if (button.getAttribute('aria-disabled') !== 'true') {
          void begin(method, buttons);
        }
      });
      buttons.push(button);
      return h('div', { class: 'bankid-choice' }, button, h('p', { class: 'hint', id: hintId }, hint));
    });
    const focusTarget = buttons.find((button) => button.dataset.method === focusMethod) ?? buttons[0];
    render(h('div', { class: 'bankid-choices' }, ...items), focusTarget, forceFocus);
  }

  function showQr(qr: SVGElement): void {
    const instruction = h('p', { class: 'bankid-instruction', tabindex: -1 }, t.qrInstruction);
    render(
      h(
        'div',
        { class: 'bankid-progress' },
        instruction,
        h('div', { class: 'bankid-qr' }, qr),
        h('div', { class: 'bankid-actions' }, cancelButton()),
      ),
      instruction,
      true,
    );
  }

  function showSameDevice(url: string | undefined): void {
    const instruction = h('p', { class: 'bankid-instruction', tabindex: -1 }, t.sameDeviceInstruction);
    render(
      h(
        'div',
        { class: 'bankid-progress' },
        instruction,
        url !== undefined && h('p', { class: 'hint' }, t.openAppHint),
        h(
          'div',
          { class: 'bankid-actions' },
          url !== undefined && h('a', { class: 'button button-primary', href: url }, t.openApp),
          cancelButton(),
        ),
      ),
      instruction,
      true,
    );
  }

  function showFailed(method: BankIdMethod, text: string): void {
    const retry = h('button', { type: 'button', class: 'button button-primary' }, messages.tryAgain);
    retry.addEventListener('click', () => {
      // A new order, started deliberately by the user (and, for this device, from their click).
      retry.setAttribute('aria-disabled', 'true');
      void begin(method, []);
    });
    const back = h('button', { type: 'button', class: 'button button-secondary' }, t.chooseAgain);
    back.addEventListener('click', () => {
      setStatus(undefined);
      showChoice(method, true);
    });
    render(h('div', { class: 'bankid-actions' }, retry, back), retry);
    setStatus('error', text);
  }

  if (options.returned) {
    // Back from the app: no choice to make, the login just needs finishing (or shows why it cannot be).
    pending = {
      loginId: options.returned.loginId,
      method: 'autostart',
      pollAfterMs: MIN_POLL_MS * 2,
      qr: undefined,
      returnNonce: options.returned.nonce,
    };
    showSameDevice(undefined);
    setStatus('info', t.returning);
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibilityChange);
    schedule(0);
  } else {
    showChoice(undefined);
  }
  return element;
}

/**
 * The link that opens the BankID app on this device (BANKID.md, "Same device"): BankID's universal link on phones
 * and tablets, the `bankid:` scheme on computers. `redirect=null`: where the app returns is the order's returnUrl,
 * set by the server (BankID prefers it to a redirect in the link); the login is completed by collect on that page.
 */
export function autoStartUrl(autoStartToken: string, mobile: boolean = isMobileDevice()): string {
  const query = `autostarttoken=${encodeURIComponent(autoStartToken)}&redirect=null`;
  return mobile ? `https://app.bankid.com/?${query}` : `bankid:///?${query}`;
}

interface NavigatorWithHints {
  readonly userAgent: string;
  readonly maxTouchPoints: number;
  readonly userAgentData?: { readonly mobile: boolean };
}

export function isMobileDevice(browser: NavigatorWithHints = navigator as NavigatorWithHints): boolean {
  if (browser.userAgentData) {
    return browser.userAgentData.mobile;
  }
  // iPadOS presents itself as a Mac; only the touch screen gives it away.
  return (
    /Android|iPhone|iPad|iPod|Mobile/i.test(browser.userAgent) ||
    (/Macintosh/.test(browser.userAgent) && browser.maxTouchPoints > 1)
  );
}

/** Whether the click that started the login still lets the page open the app (browsers without the API: yes). */
function clickStillActive(): boolean {
  const activation = (navigator as { userActivation?: { readonly isActive: boolean } }).userActivation;
  return activation === undefined || activation.isActive;
}

function bankIdText(message: BankIdMessage): string {
  return messages.locale === 'en' ? message.en : message.sv;
}

function startErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    return messages.login.tooManyAttempts;
  }
  if (error instanceof ApiError && error.code === 'network_error') {
    return messages.networkError;
  }
  return messages.genericError;
}

function collectErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    return messages.bankId.expired;
  }
  return startErrorText(error);
}
