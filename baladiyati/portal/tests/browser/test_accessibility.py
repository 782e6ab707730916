"""Usable at 200% zoom, in a sensible keyboard order, with enough contrast."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .base import BrowserTestCase

# The contrast of a text's colour against the first opaque background behind it (WCAG 2).
CONTRAST = """
(selector) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return Array.from(document.querySelectorAll(selector))
    .filter((el) => el.offsetParent !== null && el.textContent.trim())
    .map((el) => {
      const a = lum(parse(getComputedStyle(el).color).slice(0, 3));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return [el.textContent.trim().slice(0, 30), ratio];
    });
}
"""


class AccessibilityTests(BrowserTestCase):
    def test_pages_reflow_at_200_percent_zoom_without_sideways_scrolling(self) -> None:
        case = self.submit_case()
        # The same phone at 200% zoom: half the CSS pixels, twice the device pixels.
        zoomed = self.browser.new_context(
            viewport={"width": 195, "height": 422}, device_scale_factor=4, is_mobile=True
        )
        self.addCleanup(zoomed.close)
        page = zoomed.new_page()
        for path in (
            "/",
            "/report",
            "/cases",
            "/requests",
            "/signin",
            "/settings",
            f"/track/{case.tracking_token}",
        ):
            with self.subTest(path=path):
                page.goto(self.url(path))
                page.wait_for_load_state("networkidle")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                self.assertLessEqual(overflow, 0, path)
        page.goto(self.url("/report"))
        self.shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(self.shots / "report-at-200-percent.png"), full_page=True)

    def test_the_keyboard_reaches_the_first_step_in_reading_order(self) -> None:
        page = self.page
        page.goto(self.url("/report"))
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        order = []
        for _ in range(25):
            page.keyboard.press("Tab")
            order.append(
                page.evaluate(
                    "(() => { const e = document.activeElement;"
                    " return e.id || e.getAttribute('name') || e.className || e.tagName; })()"
                )
            )
        self.assertEqual(order[0], "skip")
        wanted = ["pick-map", "locate-me", "f-district", "f-address", "button"]
        positions = [order.index(w) for w in wanted]
        self.assertEqual(positions, sorted(positions), order)

    def test_text_has_enough_contrast(self) -> None:
        case = self.submit_case()
        for path, selectors in (
            (
                f"/track/{case.tracking_token}",
                ".reference, h1, h2, .badge, .facts dt, .facts dd, .hijri, .meta, .hint,"
                " .answers dt",
            ),
            (
                f"/report/sent/{case.tracking_token}",
                "h1, h2, p, .hijri, .button, a",
            ),
            ("/signin", "h1, label, p, .button"),
            ("/", ".hero h1, .hero p, .tiles strong, .tiles span, .badge, .tabs a, .hint, .chip"),
            ("/report", "h1, h2, label, .hint, .lead, .button, .steps li, .step-count"),
            ("/cases", "label, .case-list .meta, .badge, .hint"),
        ):
            self.page.goto(self.url(path))
            self.page.wait_for_load_state("networkidle")
            for text, ratio in self.page.evaluate(CONTRAST, selectors):
                with self.subTest(path=path, text=text):
                    self.assertGreaterEqual(ratio, 4.5)

    def submit_case(self):  # type: ignore[no-untyped-def]
        from baladiyati.cases.actions import do_submit_case

        return do_submit_case(
            municipality=self.muscat,
            service_code="pothole",
            lat=23.6,
            lon=58.5,
            channel="web",
            actor=AnonymousUser(),
            answers={"size": "small"},
        )
