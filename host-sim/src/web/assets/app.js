// 受付研修: keyboard shortcuts and the screen player. The pages work
// without this script (links, forms, Tab and Enter).
"use strict";

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
  const t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
  if (e.key === "ArrowLeft" || e.key === "ArrowRight" || e.key === "p" || e.key === "P") {
    if (player && player.key(e.key)) e.preventDefault();
    return;
  }
  // Enter on a focused button or link does what it always does.
  if (e.key === "Enter" && t && (t.tagName === "BUTTON" || t.tagName === "A")) return;
  const target = document.querySelector(`[data-key="${CSS.escape(e.key)}"]`);
  if (target) {
    e.preventDefault();
    target.click();
  }
});

// Shows one screen at a time; ◀ ▶, the thumbnails, ← → and P (play from the start).
const player = (() => {
  const shot = document.getElementById("shot");
  const caption = document.getElementById("shot-caption");
  const thumbs = Array.from(document.querySelectorAll("a.thumb"));
  if (!shot || thumbs.length === 0) return null;
  const total = thumbs.length;
  let current = total;
  let timer = null;
  const show = (k) => {
    current = Math.min(Math.max(k, 1), total);
    const link = thumbs[current - 1];
    shot.src = link.getAttribute("href");
    shot.alt = `端末の画面（${current}枚目／全${total}枚）`;
    caption.textContent = `${current}枚目／全${total}枚` + (current === total ? "（いまの画面）" : "");
    thumbs.forEach((a, i) => a.classList.toggle("current", i === current - 1));
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const play = () => {
    stop();
    show(1);
    timer = setInterval(() => {
      if (current >= total) stop();
      else show(current + 1);
    }, 1200);
  };
  thumbs.forEach((a, i) =>
    a.addEventListener("click", (e) => {
      e.preventDefault();
      stop();
      show(i + 1);
    })
  );
  const on = (id, f) => {
    const b = document.getElementById(id);
    if (b) b.addEventListener("click", f);
  };
  on("shot-prev", () => { stop(); show(current - 1); });
  on("shot-next", () => { stop(); show(current + 1); });
  on("shot-play", play);
  show(total);
  return {
    key(k) {
      if (k === "ArrowLeft") { stop(); show(current - 1); }
      else if (k === "ArrowRight") { stop(); show(current + 1); }
      else play();
      return true;
    },
  };
})();
