// escapeControl: what reaches a terminal or a text channel from user code shows its control characters escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControl } from '../../protocol/terminalText';

void test('ESC sequences, carriage returns, C1 controls and bidi overrides are escaped; plain text is kept', () => {
  assert.equal(escapeControl('\x1b]0;title\x07\x1b[2J\rok'), '\\x1b]0;title\\x07\\x1b[2J\\rok');
  assert.equal(escapeControl('a\u009bb\u202ec'), 'a\\x9bb\\u202ec');
  assert.equal(escapeControl('tab\there, ünïcödé'), 'tab\there, ünïcödé');
});

void test('newlines are escaped in one-line messages and kept in multi-line text', () => {
  assert.equal(escapeControl('one\ntwo'), 'one\\ntwo');
  assert.equal(escapeControl('one\ntwo\r', { keepNewlines: true }), 'one\ntwo\\r');
});
