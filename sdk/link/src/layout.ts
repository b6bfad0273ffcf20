// How the journey's frame sits in the app's page. In the page where the app put it, as a bordered card; on a small
// screen (a phone) as a full-screen overlay instead, because a card squeezed into an app's column is unusable there.

/** Below this width (CSS px) the journey covers the whole viewport (unless the app asked for nonModal). */
export const SMALL_SCREEN = "(max-width: 599.98px)";

export type FrameStyle = Record<"position" | "inset" | "zIndex" | "width" | "height" | "minHeight" | "border" | "borderRadius" | "margin", string>;

/** The frame's inline style: full-screen (fixed, over everything) or in place (bordered unless the app says otherwise). */
export function frameStyle(fullScreen: boolean, bordered: boolean): FrameStyle {
  return fullScreen
    ? { position: "fixed", inset: "0", zIndex: "2147483000", width: "100%", height: "100%", minHeight: "0", border: "0", borderRadius: "0", margin: "0" }
    : { position: "", inset: "", zIndex: "", width: "100%", height: "100%", minHeight: "600px", border: bordered ? "1px solid #D1D5DB" : "0", borderRadius: bordered ? "12px" : "0", margin: "" };
}

/** Full screen on a small screen, unless the app embeds the journey in its own container (Codat's nonModal). */
export function isFullScreen(smallScreen: boolean, nonModal: boolean | undefined): boolean {
  return smallScreen && nonModal !== true;
}
