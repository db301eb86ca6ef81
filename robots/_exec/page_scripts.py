"""Scripts the browser driver runs inside pages (plain JavaScript text; no Playwright here).

Each is evaluated by :mod:`robots._exec.browser` in one frame. They read or set many things in one round
trip, which is what makes the script input mode fast on slow old systems.
"""

from __future__ import annotations

# Which target is on the page? Only once the document is parsed, so a half-loaded row is not judged.
MATCH_JS = """(targets) => {
  if (document.readyState === 'loading') return null;
  for (const [key, css, text] of targets) {
    const el = document.querySelector(css);
    if (el && (!text || (el.textContent || '').includes(text))) return key;
  }
  return null;
}"""

CLICK_JS = """(css) => {
  const el = document.readyState === 'loading' ? null : document.querySelector(css);
  if (!el) return false;
  setTimeout(() => el.click(), 0);
  return true;
}"""

FILL_JS = """(fields) => {
  const problems = [];
  const fire = (el) => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  for (const [kind, css, value, label] of fields) {
    const el = document.querySelector(css);
    if (!el) { problems.push(['missing', label]); continue; }
    if (kind === 'text') {
      el.focus(); el.value = value; fire(el);
    } else if (kind === 'select') {
      if (![...el.options].some((o) => o.value === value)) { problems.push(['no_option', label]); continue; }
      el.value = value; fire(el);
    } else if (value && !el.checked) {
      el.click();
    }
  }
  return problems;
}"""


# Every element the selector matches, as the screen shows it (all red messages, not only the first).
TEXTS_JS = """(css) => [...document.querySelectorAll(css)]
  .map((el) => (el.innerText || el.textContent || '').split(/\\s+/).join(' ').trim())
  .filter((text) => text)"""

OPTIONS_JS = """(css) => {
  const el = document.querySelector(css);
  return el && el.options ? [...el.options].map((o) => [o.value, o.textContent || '']) : null;
}"""

# What a registered record shows per field: an input's value, a select's value and text, a radio
# button's or check box's state (CHECKED / UNCHECKED), any other element's text. null: not on the page.
CHECKED, UNCHECKED = "\u0001checked", "\u0001unchecked"
READ_JS = """(fields) => fields.map(([kind, css]) => {
  const el = document.querySelector(css);
  if (!el) return null;
  if (el.tagName === 'INPUT' && (el.type === 'radio' || el.type === 'checkbox'))
    return [el.checked ? '\\u0001checked' : '\\u0001unchecked'];
  if (el.tagName === 'SELECT') {
    const o = el.options[el.selectedIndex];
    return o ? [o.value, o.textContent || ''] : [''];
  }
  if ('value' in el && el.tagName !== 'BUTTON' && el.tagName !== 'LI') return [el.value];
  return [el.textContent || ''];
})"""


# `bodx robot explore`: what one document offers. A field's label is its <label>, else the header or
# text cell before it in its table row, else its placeholder/title.
OUTLINE_JS = """() => {
  const css = (el) => el.id ? '#' + el.id
    : el.name ? el.tagName.toLowerCase() + '[name=' + JSON.stringify(el.name) + ']' + (el.type === 'radio' ? '[value=' + JSON.stringify(el.value) + ']' : '')
    : null;
  const clean = (t) => (t || '').split(/\\s+/).join(' ').trim();
  const labelOf = (el) => {
    if (el.labels && el.labels.length) return clean(el.labels[0].textContent);
    let node = el.previousSibling;  // text written just before the field: 職員番号 <input>
    while (node && node.nodeType === 3 && !clean(node.textContent)) node = node.previousSibling;
    if (node && node.nodeType === 3) return clean(node.textContent);
    const cell = el.closest('td, dd');
    if (cell) {
      let prev = cell.previousElementSibling;
      while (prev && !clean(prev.textContent)) prev = prev.previousElementSibling;
      if (prev) return clean(prev.textContent);
    }
    return clean(el.placeholder || el.title || '');
  };
  const forms = [...document.forms].map((f) => ({
    selector: f.id ? '#' + f.id : f.name ? 'form[name=' + JSON.stringify(f.name) + ']' : 'form',
    login: !!f.querySelector('input[type=password]'),
    action: f.getAttribute('action') || '', method: (f.method || 'get').toLowerCase(),
    fields: [...f.elements].filter((el) => !['submit', 'button', 'image', 'hidden', 'reset'].includes(el.type) && el.tagName !== 'BUTTON' && el.tagName !== 'FIELDSET')
      .map((el) => ({
        selector: css(el), label: labelOf(el), tag: el.tagName.toLowerCase(), type: el.type || '',
        options: el.tagName === 'SELECT' ? [...el.options].map((o) => [o.value, clean(o.textContent)]) : [],
      })),
    buttons: [...f.querySelectorAll('input[type=submit], input[type=button], input[type=image], button')]
      .map((b) => ({ selector: css(b) || (b.tagName.toLowerCase() + (b.type ? '[type=' + b.type + ']' : '')), text: clean(b.value || b.textContent),
                     confirm: /confirm\\(/.test(b.getAttribute('onclick') || '') })),
  }));
  const links = [...document.querySelectorAll('a[href]')].slice(0, 50)
    .map((a) => ({ selector: a.id ? '#' + a.id : null, text: clean(a.textContent), href: a.getAttribute('href'), target: a.target || '' }));
  const red = [...document.querySelectorAll('font[color=red], .error, .alert, [role=alert]')].map((e) => clean(e.textContent)).filter((t) => t);
  const frames = [...document.querySelectorAll('frame[name], iframe[name]')].map((f) => f.tagName.toLowerCase() + '[name=' + f.name + ']');
  return { title: document.title, charset: document.characterSet, forms, links, messages: red, frames };
}"""

LOGIN_JS = """() => {
  const pw = document.querySelector('input[type=password]');
  if (!pw || !pw.form) return null;
  const css = (el) => el.id ? '#' + el.id : el.name ? el.tagName.toLowerCase() + '[name=' + JSON.stringify(el.name) + ']' : null;
  const user = [...pw.form.elements].find((el) => el.tagName === 'INPUT' && ['text', 'email', ''].includes(el.type) && el !== pw);
  const go = pw.form.querySelector('input[type=submit], button[type=submit], button:not([type]), input[type=image]');
  return user && go ? [css(user), css(pw), css(go) || 'input[type=submit]'] : null;
}"""
