import { h, svg } from '../../dom';
import { field, loginCard, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import { drawQrCode } from '../../qr-code';
import type { View } from '../../views/view';
import { adminApi, type EnrolledProfile, type Enrolment } from '../api';
import { messageRegion, onCodeSubmit, oneTimeCodeInput, stepHeading } from './form-parts';

export interface EnrolmentOptions {
  readonly challengeId: string;
  readonly enrolment: Enrolment;
  readonly onEnrolled: (profile: EnrolledProfile) => void;
  readonly onChallengeExpired: () => void;
}

/** "ABCD EFGH …": the base32 key in groups of four, as authenticator apps show and take it. */
export function groupedKey(secret: string): string {
  return secret.match(/.{1,4}/gu)?.join(' ') ?? secret;
}

/**
 * The first login: add an authenticator app by scanning the QR code (drawn here, in the browser, from the otpauth
 * URI) or typing the key, then confirm with the first code the app shows.
 */
export function enrolmentView(options: EnrolmentOptions): View {
  const t = adminMessages.enrolment;
  const heading = stepHeading('admin-enrolment-heading', t.title);
  const messages = messageRegion('admin-enrolment-message');
  const qr = svg('svg', { class: 'totp-qr', role: 'img', 'aria-label': t.qrLabel });
  drawQrCode(qr, options.enrolment.otpauthUri);
  const codeInput = oneTimeCodeInput('admin-enrolment-code');
  const submit = submitButton(t.submit, t.submitting);
  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    field('admin-enrolment-code', t.label, codeInput),
    submit.button,
  );

  onCodeSubmit({
    form,
    submit,
    messages,
    input: () => codeInput,
    invalidCodeText: () => adminMessages.code.invalidCode,
    send: async (code) => options.onEnrolled(await adminApi.enrol(options.challengeId, code)),
    onChallengeExpired: options.onChallengeExpired,
  });

  return {
    title: t.title,
    element: loginCard(
      heading,
      h('p', { class: 'lead' }, t.intro),
      h(
        'ol',
        { class: 'enrolment-steps' },
        h(
          'li',
          {},
          h('p', {}, t.stepScan),
          qr,
          h('p', { class: 'hint' }, t.manualKey),
          h(
            'p',
            {},
            h('span', { class: 'visually-hidden' }, `${t.manualKeyLabel}: `),
            h('code', { class: 'secret-key', id: 'admin-enrolment-key' }, groupedKey(options.enrolment.secret)),
          ),
        ),
        h('li', {}, h('p', {}, t.stepCode), messages.element, form),
      ),
    ),
    focusTarget: heading,
  };
}
