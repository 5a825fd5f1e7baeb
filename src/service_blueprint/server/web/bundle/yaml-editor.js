// Entry point of the YAML editor bundle (static/yaml-editor.js), built by scripts/build_web.py
// with esbuild from the npm packages pinned in package-lock.json. Only this file and the build
// script are edited by hand; the bundle is committed so that users need no Node.
import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput, foldGutter, foldKeymap,
} from "@codemirror/language";
import { yaml } from "@codemirror/lang-yaml";

// The editing basics (CodeMirror's own "basicSetup", minus completion and search we do not use).
const basics = [
  lineNumbers(), highlightActiveLineGutter(), foldGutter(), history(), drawSelection(), indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }), bracketMatching(), highlightActiveLine(),
  keymap.of([...defaultKeymap, ...historyKeymap, ...foldKeymap, indentWithTab]),
];

// A YAML editor in `parent`: `onChange(text)` after every change the person makes (not after
// setText). Returns {getText, setText, goto(line), focus}.
export function createYamlEditor(parent, { text = "", onChange = () => {}, label = "YAML" } = {}) {
  let quiet = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basics,
        yaml(),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !quiet) { onChange(update.state.doc.toString()); }
        }),
      ],
    }),
  });
  return {
    getText: () => view.state.doc.toString(),
    setText(next) {
      if (next === view.state.doc.toString()) { return; }
      quiet = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      } finally { quiet = false; }
    },
    goto(line) {
      const doc = view.state.doc;
      const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
      view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
      view.focus();
    },
    focus: () => view.focus(),
  };
}
