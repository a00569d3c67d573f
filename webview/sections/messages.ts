// Warnings and errors, each with its code, scope, suggested fix and details; every string set as text.
import type { Message } from '../../protocol/report';
import { h } from '../dom';

export function messageList(list: Message[], kind: 'warning' | 'error'): HTMLElement {
  return h(
    'div',
    { class: 'messages', role: 'list' },
    ...list.map((message) =>
      h(
        'div',
        { class: `message ${kind}`, role: 'listitem' },
        h('span', { class: 'code' }, message.code),
        message.message,
        message.input !== undefined ? h('span', { class: 'scope' }, ` (input ${message.input})`) : null,
        message.scope ? h('div', { class: 'scope' }, message.scope) : null,
        message.suggestion ? h('div', { class: 'fix' }, message.suggestion) : null,
        message.detail ? h('details', {}, h('summary', {}, 'details'), h('pre', {}, message.detail)) : null,
      ),
    ),
  );
}
