import { h } from '../../dom';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import type { AdminProfile } from '../api';
import { stepHeading } from './form-parts';

/** The admin pages' start: who is logged in, at which clinic. The admin screens arrive with the admin issue. */
export function homeView(profile: AdminProfile): View {
  const t = adminMessages.home;
  const heading = stepHeading('admin-home-heading', t.title);
  return {
    title: t.title,
    element: h(
      'section',
      { class: 'card admin-home', 'aria-labelledby': 'admin-home-heading' },
      heading,
      h('p', { class: 'lead', id: 'admin-signed-in' }, t.signedIn(profile.admin.name, profile.clinic.name)),
      h('p', {}, t.comingSoon),
    ),
    focusTarget: heading,
  };
}
