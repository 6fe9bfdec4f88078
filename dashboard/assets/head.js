// Added to every page's <head> by dashboard/page_head.py. Keeps <html lang> in step with the
// `lang` URL parameter (the language switch changes it without reloading the page) and, in
// French, translates the labels of Streamlit's own chrome that the app cannot set.
(() => {
  const FR = {
    "Skip to main content": "Aller au contenu principal",
    "Download as PNG": "Télécharger en PNG",
    "Download as SVG": "Télécharger en SVG",
    "Download as CSV": "Télécharger en CSV",
    "Open in Vega Editor": "Ouvrir dans Vega Editor",
    "Fullscreen": "Plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Close": "Fermer",
    "Search": "Rechercher",
    "Main menu": "Menu principal",
    "Collapse sidebar": "Replier le menu latéral",
    "Expand sidebar": "Déplier le menu latéral",
    "Copy to clipboard": "Copier",
    "Clear all": "Tout effacer",
    "Running...": "Calcul en cours…",
    "Show password": "Afficher le mot de passe",
  };
  // The screen's width, for the server to size the map on a phone (`charts.map_height`):
  // sent with the websocket's opening request, so the first run already has it. Functional,
  // never read by anyone else (no expiry: gone when the browser closes).
  // In an iframe on another site (an embedded view) only a `SameSite=None` cookie is sent,
  // and only over https.
  const site = location.protocol === "https:" ? "SameSite=None; Secure" : "SameSite=Lax";
  const noteWidth = () => {
    document.cookie = `largeur=${Math.round(innerWidth)}; path=/; ${site}`;
  };
  noteWidth();
  addEventListener("resize", noteWidth);
  const ATTRIBUTES = ["aria-label", "title", "placeholder"];
  const FIRST_PATH = location.pathname;
  const lang = () => (new URLSearchParams(location.search).get("lang") === "en" ? "en" : "fr");
  function translate(root) {
    for (const name of ATTRIBUTES) {
      for (const el of root.querySelectorAll(`[${name}]`)) {
        const fr = FR[el.getAttribute(name)];
        if (fr) el.setAttribute(name, fr);
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const fr = FR[node.nodeValue.trim()];
      if (fr && !node.parentElement.closest("[data-testid='stMarkdownContainer'], pre, code")) {
        node.nodeValue = fr;
      }
    }
  }
  let pending = false;
  function apply() {
    pending = false;
    // The server-drawn first map (dashboard/first_map.py) goes once Streamlit's is drawn, or
    // once the reader has left the map page.
    const first = document.getElementById("premiere-carte");
    if (first && (location.pathname !== FIRST_PATH
        || document.querySelector("[data-testid='stVegaLiteChart'] path[aria-label]"))) {
      first.remove();
    }
    const l = lang();
    if (document.documentElement.lang !== l) document.documentElement.lang = l;
    if (l === "fr" && document.body) translate(document.body);
  }
  function schedule() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(apply);
    }
  }
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method];
    history[method] = function (...args) {
      const result = original.apply(this, args);
      schedule();
      return result;
    };
  }
  addEventListener("popstate", schedule);
  new MutationObserver(schedule).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  schedule();
})();
