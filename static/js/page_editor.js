// The site pages' body as formatted text (massage_site/page_editor.py): paragraphs, headings,
// lists, bold, italics and links, nothing the public page's sanitiser would drop. Loaded as
// a module from our own files, with no inline script or style, so the admin's strict
// Content-Security-Policy holds. Without script, the plain HTML text area stays.
import {
  Bold,
  BulletList,
  Document,
  Editor,
  HardBreak,
  Heading,
  History,
  Italic,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Text,
} from "../django_prose_editor/editor.js";

const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  return new Editor({
    element: wrapper,
    editable: !disabled,
    // The editor's own styles come from editor.css: an injected <style> would be refused.
    injectCSS: false,
    // What the public page shows of the body (cleaned on the server), not its raw HTML.
    content: textarea.dataset.editorContent ?? textarea.value,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        ...(label ? { "aria-label": label.textContent.replace(/:$/, "").trim() } : {}),
        ...(textarea.getAttribute("aria-describedby")
          ? { "aria-describedby": textarea.getAttribute("aria-describedby") }
          : {}),
      },
    },
    extensions: [
      Document,
      Paragraph,
      Text,
      HardBreak,
      History,
      Menu,
      Bold,
      Italic,
      Heading.configure({ levels: [2, 3] }),
      BulletList,
      OrderedList,
      ListItem,
      // As the public page's sanitiser writes links: no new tab, rel="noopener noreferrer".
      Link.configure({
        openOnClick: false,
        HTMLAttributes: { target: null, rel: "noopener noreferrer" },
      }),
    ],
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

document.querySelectorAll("textarea.page-body-editor").forEach(createEditor);
