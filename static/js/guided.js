// Guided mode: a player with a countdown per step for readers whose hands are busy, built on
// the server-rendered list (still complete without it). No inline code or eval: strict-CSP safe.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const start = $("guided-start"), player = $("guided-player");
  const items = document.querySelectorAll(".steps > .step[data-duration]");
  if (!start || !player || !items.length) return;
  const ui = {};
  for (const name of "count progress step picture switch title meta instruction caution clock done pause back next exit again sound vibrate speak rate mute status".split(" "))
    ui[name] = $("player-" + name);

  // ?speed=N (1–600) makes time run N times faster, for tests and demonstrations.
  let speed = Number(new URLSearchParams(location.search).get("speed"));
  if (!(Number.isInteger(speed) && speed >= 1 && speed <= 600)) speed = 1;

  // One player step per side: a step done on both sides becomes two, each with the full time.
  const steps = [], before = [0];
  // The paragraphs' words without the glossary previews inside them.
  const paras = (el, not = "x") => {
    if (!el) return [];
    el = el.cloneNode(true);
    el.querySelectorAll(".term-tip").forEach((tip) => tip.remove());
    return [...el.querySelectorAll(`p:not(.${not})`)].map((p) => p.textContent.trim());
  };
  for (const li of items) {
    const texts = paras(li.querySelector(".step-instruction"));
    // Every step has a title: its own, else its technique's, else its number.
    const name = li.dataset.title || li.dataset.technique || `Step ${li.id.slice(5)}`, seconds = parseInt(li.dataset.duration, 10) || 0;
    // Its own caution (without the "Take care" label) and its pressure and needs, as the page shows them.
    const caution = paras(li.querySelector(".step-caution"), "step-caution-label").join(" ");
    const meta = [...li.querySelectorAll(".step-pressure, .step-needs")].map((span) => span.textContent.trim()).join(" · ");
    for (const side of li.dataset.repeat === "true" ? ["first side", "other side"] : [""]) {
      steps.push({
        title: name && side ? `${name} (${side})` : name || side.charAt(0).toUpperCase() + side.slice(1),
        seconds,
        // The <picture> (WebP sources and fallback) when there is one, else the plain <img>.
        img: li.querySelector(".step-picture picture") || li.querySelector(".step-picture img"),
        texts,
        caution,
        meta,
        other: side === "other side",
      });
      before.push(before.at(-1) + seconds);
    }
  }
  ui.progress.max = before.at(-1) || 1;

  let index = 0, elapsed = 0, last = 0, playing = false, finished = false, timer = 0;
  let lock = null, locking = false, audio = null, told = -1;

  const clock = (s) => {
    s = Math.max(0, Math.ceil(s - 1e-6));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  const spoken = (s) =>
    [s >= 60 && plural(Math.floor(s / 60), "minute"), (s % 60 || s < 60) && plural(s % 60, "second")].filter(Boolean).join(" ");
  // The same words twice would not be read again: a trailing space makes them new.
  const announce = (text) => {
    ui.status.textContent = ui.status.textContent === text ? text + "\u00a0" : text;
  };
  const announceStep = () => {
    const { title, seconds, caution, other, texts } = steps[index];
    say(other ? "Now the other side." : [title + ".", ...texts, caution && "Take care: " + caution].join(" "));
    announce(`${other ? "Now the other side. " : ""}Step ${index + 1} of ${steps.length}${title ? ": " + title : ""}. ${spoken(seconds)}.${caution ? " Take care: " + caution : ""}`);
  };

  function renderStep() {
    const step = steps[index];
    ui.count.textContent = `Step ${index + 1} of ${steps.length}`;
    ui.title.textContent = step.title;
    ui.title.hidden = !step.title;
    ui.instruction.replaceChildren(...step.texts.map((text) => Object.assign(document.createElement("p"), { textContent: text })));
    ui.switch.hidden = !step.other;
    ui.meta.textContent = step.meta;
    ui.meta.hidden = !step.meta;
    ui.caution.textContent = step.caution && "Take care: " + step.caution;
    ui.caution.hidden = !step.caution;
    ui.picture.hidden = !step.img;
    ui.step.classList.toggle("has-picture", !!step.img);
    if (step.img) ui.picture.replaceChildren(step.img.cloneNode(true));
    renderTime();
  }
  function renderTime() {
    const left = steps[index].seconds - elapsed, next = steps[index + 1];
    // "Next: …" a few seconds before a step ends, once per step.
    if (playing && next && left <= 5 && steps[index].seconds > 10 && told !== index) {
      told = index;
      say(`Next: ${next.title}.`, true);
    }
    ui.clock.textContent = clock(steps[index].seconds - elapsed);
    ui.progress.value = before[index] + Math.min(elapsed, steps[index].seconds);
  }

  // Time comes from timestamps, not counted ticks: no drift, and it catches up in a hidden tab.
  function tick() {
    const now = performance.now();
    let moved = false;
    elapsed += ((now - last) * speed) / 1000;
    last = now;
    while (elapsed >= steps[index].seconds) {
      if (index === steps.length - 1) return finish();
      elapsed -= steps[index].seconds;
      index += 1;
      moved = true;
    }
    if (!moved) return renderTime();
    renderStep();
    announceStep();
    cue(steps[index].other ? 2 : 1);
  }
  function stop() {
    playing = false;
    clearInterval(timer);
    letSleep();
  }
  function play() {
    playing = true;
    last = performance.now();
    clearInterval(timer);
    timer = setInterval(tick, speed > 1 ? 40 : 200);
    voice?.resume();
    ui.pause.textContent = "Pause";
    player.classList.remove("is-paused");
    keepAwake();
  }
  function pause() {
    if (playing) tick();
    stop();
    voice?.pause();
    ui.pause.textContent = "Resume";
    player.classList.add("is-paused");
  }
  function toggle() {
    if (finished) return;
    playing ? pause() : play();
    announce(playing ? "Resumed." : "Paused.");
  }
  function go(i) {
    if (finished) return;
    if (i >= steps.length) return finish();
    index = Math.max(0, i);
    elapsed = 0;
    last = performance.now();
    renderStep();
    announceStep();
  }

  function begin() {
    finished = ui.step.hidden = false;
    ui.done.hidden = true;
    index = elapsed = 0;
    renderStep();
    announceStep();
    play();
  }
  function finish() {
    stop();
    finished = true;
    index = steps.length - 1;
    elapsed = steps[index].seconds;
    renderTime();
    ui.count.textContent = "Finished";
    const lost = document.activeElement === document.body || ui.step.contains(document.activeElement);
    ui.step.hidden = true;
    ui.done.hidden = false;
    if (lost) ui.again.focus();
    announce("Routine finished.");
    say("Finished.");
    cue();
  }
  function open() {
    listen();
    player.hidden = false;
    start.hidden = true;
    player.parentNode.classList.add("is-guided");
    begin();
    ui.pause.focus({ preventScroll: true });
    player.scrollIntoView({ behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }
  function exit() {
    pause();
    voice?.cancel();
    player.hidden = true;
    start.hidden = false;
    player.parentNode.classList.remove("is-guided");
    start.focus();
  }

  // Optional cues when a step ends (off by default): a soft sine tone made here, and a buzz.
  // Two tones (and two buzzes) mean "now the other side".
  function beep(times = 1) {
    for (let n = 0; n < times; n++) try {
      audio ||= new AudioContext();
      audio.resume();
      const t = audio.currentTime + n * 0.5, tone = audio.createOscillator(), gain = audio.createGain();
      tone.frequency.value = 660;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.15, t + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.7);
      tone.connect(gain).connect(audio.destination);
      tone.start(t);
      tone.stop(t + 0.75);
    } catch {
      // no sound rather than a broken player
    }
  }
  const buzz = (times = 1) => navigator.vibrate(times > 1 ? [200, 150, 200] : 200);
  const cue = (times) => {
    if (ui.sound.checked) beep(times);
    if (ui.vibrate.checked) buzz(times);
  };

  // Keep the screen on while the routine plays, where the browser allows it.
  function keepAwake() {
    if (!navigator.wakeLock || lock || locking || document.hidden) return;
    locking = true;
    navigator.wakeLock.request("screen").then((sentinel) => {
      lock = sentinel;
      sentinel.onrelease = () => { if (lock === sentinel) lock = null; };
      if (!playing) letSleep();
    }, () => {}).finally(() => { locking = false; });
  }
  function letSleep() {
    lock?.release().catch(() => {});
    lock = null;
  }
  document.addEventListener("visibilitychange", () => playing && keepAwake());

  // Reading aloud (off by default) with the browser's own voices: nothing leaves the device.
  const voice = window.speechSynthesis;
  const store = (key, value) => {
    try {
      return value === undefined ? localStorage.getItem(key) : localStorage.setItem(key, value);
    } catch {
      return null;
    }
  };
  function say(text, queue) {
    if (!ui.speak.checked) return;
    if (!queue) voice.cancel();
    const words = new SpeechSynthesisUtterance(text);
    words.rate = +ui.rate.value;
    voice.speak(words);
  }
  // Voices can arrive after the page loads; without any, the option says so and stays off.
  // Asked for when the player first opens: the first getVoices() starts the browser's speech
  // engine, which held up the page load for a reader who may never use guided mode.
  function voices() {
    const none = !voice?.getVoices().length;
    ui.mute.hidden = !none;
    ui.speak.disabled = none;
    ui.speak.checked = !none && store("guided-speak") === "1";
  }
  ui.speak.checked = store("guided-speak") === "1";  // as last chosen, until the voices are known
  let listening = false;
  function listen() {
    if (listening) return;
    listening = true;
    voices();
    voice?.addEventListener("voiceschanged", voices);
  }
  ui.rate.value = store("guided-rate");
  ui.rate.value ||= 1;
  ui.rate.onchange = () => store("guided-rate", ui.rate.value);
  ui.speak.onchange = () => {
    store("guided-speak", ui.speak.checked ? "1" : "0");
    if (!ui.speak.checked) voice.cancel();
  };

  if (!navigator.vibrate) $("player-vibrate-option").hidden = true;
  ui.sound.onchange = () => ui.sound.checked && beep();
  ui.vibrate.onchange = () => ui.vibrate.checked && buzz();
  start.onclick = open;
  ui.again.onclick = () => { begin(); ui.pause.focus(); };
  ui.pause.onclick = toggle;
  ui.back.onclick = () => go(index - 1);
  ui.next.onclick = () => go(index + 1);
  ui.exit.onclick = exit;

  document.addEventListener("keydown", (event) => {
    if (player.hidden || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target, tag = target.tagName;
    if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(tag) || (tag === "INPUT" && target.type !== "checkbox")) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    // Space on a focused button or checkbox keeps its own meaning.
    if (key === "Escape") exit();
    else if (key === "k" || (key === " " && !/^(BUTTON|INPUT|A)$/.test(tag))) toggle();
    else if (key === "ArrowLeft" || key === "j") go(index - 1);
    else if (key === "ArrowRight" || key === "l") go(index + 1);
    else return;
    event.preventDefault();
  });

  // "Done today" (here and in the finished panel): ISO dates per routine slug in this browser's
  // storage, the last 14 days only, never sent anywhere; the plan page (ticks.js) lists them.
  // The local date is written out by hand: toLocaleDateString's first call loads locale data,
  // which took a quarter of a second of a slow phone's page load.
  const day = (ago = 0, d = new Date()) => (
    d.setDate(d.getDate() - ago), [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, "0")).join("-"));
  const ticks = document.querySelectorAll(".done-today button"), today = day(), slug = ticks[0]?.dataset.routine;
  const mark = (on) => ticks.forEach((button) => {
    button.setAttribute("aria-pressed", on);
    button.parentNode.hidden = false;
  });
  if (slug) try {
    mark(JSON.parse(store("done-ticks"))?.[slug]?.includes(today) || false);
    ticks.forEach((button) => (button.onclick = () => {
      const all = JSON.parse(store("done-ticks")) || {}, on = button.ariaPressed != "true";
      for (const key in all) if (!(all[key] = [...all[key]].filter((d) => d >= day(13) && d != today)).length) delete all[key];
      if (on) (all[slug] ||= []).push(today);
      store("done-ticks", JSON.stringify(all));
      mark(on);
    }));
  } catch {
    // unreadable ticks: leave the buttons hidden
  }

  // "Keep for offline": the service worker (/sw.js) keeps this page, its pictures and guided
  // mode until the reader presses again; opened routines are kept for a while anyway.
  const keep = $("keep-offline"), worker = navigator.serviceWorker;
  if (keep && worker) worker.ready.then(({ active }) => {
    const path = location.pathname, show = (kept) => {
      keep.setAttribute("aria-pressed", kept);
      keep.parentNode.hidden = false;
    };
    worker.onmessage = ({ data }) => data.path === path && show(data.kept);
    keep.onclick = () => active.postMessage(keep.ariaPressed == "true" ? { forget: path } : { keep: path });
    active.postMessage({ ask: path });
  });

  start.hidden = false;
})();
