// "Was this page helpful?" in place: posted with fetch(), the box then shows the thanks (focused, so
// it is read out) or why nothing was sent. Without script, or if fetch fails, a plain post.
document.querySelectorAll("form.feedback").forEach((form) => {
  const note = form.querySelector(".feedback-note"), button = form.querySelector("button");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } });
      const answer = await response.json();
      const shown = response.ok ? document.createElement("p") : note;
      shown.textContent = `${answer.heading}. ${answer.message}`;
      if (response.ok) {
        shown.tabIndex = -1;
        form.querySelector("fieldset").replaceChildren(form.querySelector("legend"), shown);
        shown.focus();
      }
    } catch {
      form.submit();
    }
    button.disabled = false;
  });
});
