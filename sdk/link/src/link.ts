// Consentry's Link SDK: a drop-in for Codat's `https://link-sdk.codat.io` module. Import it from your Consentry host
// (`/sdk/link.js`) and mount the journey with `new CodatLink({ target, props })`, props as in @codat/sdk-link-types.

import type { CodatLinkProps, ErrorCallbackArgs } from "@codat/sdk-link-types";
import { SMALL_SCREEN, frameStyle, isFullScreen } from "./layout";
import { setLocale, t } from "./i18n";
import { EMBED, type FromEmbed, SDK, type ToEmbed, isAuthorizeUrl, isGuid, readResume, trusted, withoutResume } from "./protocol";

export type { CodatLinkProps } from "@codat/sdk-link-types";
export { CodatConnections, type CodatConnectionsProps } from "./connections";

export interface CodatLinkArgs {
  target: HTMLElement;
  props: CodatLinkProps;
  /** Where Consentry runs; by default the origin this module was loaded from. */
  baseUrl?: string;
}

/** The Consentry origin this module was served from (the SDK talks to nothing else). */
export function moduleOrigin(): string {
  return new URL(import.meta.url).origin;
}

/** Asks the SDK endpoint whether this page (its origin) and this token may run the journey, before anything is shown. */
export async function preflight(origin: string, companyId: string, accessToken: string): Promise<ErrorCallbackArgs | undefined> {
  let response: Response;
  try {
    response = await fetch(`${origin}/link/api/companies/${companyId}/journey`, {
      headers: { Authorization: `Bearer ${accessToken}` },
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    return { message: `This page's origin (${location.origin}) is not allowed to embed Link for this company, or Consentry is unreachable. Add the origin with POST /corsSettings.`, userRecoverable: false };
  }
  if (response.ok) return undefined;
  const body = (await response.json().catch(() => ({}))) as { error?: string; correlationId?: string };
  return { message: body.error ?? `Consentry answered ${response.status}.`, errorCode: response.status, correlationId: body.correlationId, userRecoverable: false };
}

export class CodatLink {
  readonly #origin: string;
  readonly #props: CodatLinkProps;
  readonly #target: HTMLElement;
  #frame: HTMLIFrameElement | undefined;
  #onMessage: ((event: MessageEvent) => void) | undefined;
  #unlayout: (() => void) | undefined;
  #destroyed = false;

  constructor({ target, props, baseUrl }: CodatLinkArgs) {
    if (!(target instanceof HTMLElement)) throw new TypeError("CodatLink: target must be an HTMLElement.");
    if (!props || !isGuid(props.companyId)) throw new TypeError("CodatLink: props.companyId must be the company's id (a GUID).");
    for (const name of ["onConnection", "onFinish", "onError"] as const) {
      if (typeof props[name] !== "function") throw new TypeError(`CodatLink: props.${name} is required.`);
    }
    this.#target = target;
    this.#props = props;
    this.#origin = new URL(baseUrl ?? import.meta.url).origin;
    void this.#mount();
  }

  /** Removes the journey from the page (call it in onFinish, onClose, or after a non-recoverable error). */
  destroy(): void {
    this.#destroyed = true;
    if (this.#onMessage) window.removeEventListener("message", this.#onMessage);
    this.#unlayout?.();
    this.#unlayout = undefined;
    this.#frame?.remove();
    this.#frame = undefined;
  }

  async #mount(): Promise<void> {
    const props = this.#props;
    const accessToken = props.accessToken ?? "";
    const resume = readResume(location.hash);
    if (resume) history.replaceState(history.state, "", withoutResume(location.href));

    const refused = accessToken
      ? await preflight(this.#origin, props.companyId, accessToken)
      : { message: "props.accessToken is required: get it with GET /companies/{companyId}/accessToken.", userRecoverable: false };
    if (this.#destroyed) return;
    if (refused) {
      this.#call(() => props.onError(refused));
      return;
    }

    const options = props.options ?? {};
    const frame = document.createElement("iframe");
    // The journey's language: the \`locale\` option ("fr", "fr-FR"…), else the browser's (Accept-Language); English by default.
    const locale = (options as { locale?: string }).locale;
    frame.src = `${this.#origin}/link/embed/${props.companyId}${locale ? `?locale=${encodeURIComponent(locale)}` : ""}`;
    // The frame's accessible name in the journey's language (the option, else the browser's, as the frame itself).
    setLocale(locale ?? navigator.language);
    frame.title = t("Connect your business");
    frame.referrerPolicy = "no-referrer";
    frame.setAttribute("data-consentry-link", "");
    Object.assign(frame.style, { display: "block", boxSizing: "border-box", colorScheme: "normal", background: "#fff" });
    this.#unlayout = this.#layout(frame, options.hideBorder !== true && options.nonModal !== true, options.nonModal);

    this.#onMessage = (event: MessageEvent) => {
      if (!trusted(event, this.#origin, frame.contentWindow, EMBED)) return;
      this.#handle(event.data as FromEmbed);
    };
    window.addEventListener("message", this.#onMessage);
    frame.addEventListener("load", () => {
      const init: ToEmbed = {
        source: SDK, type: "init", accessToken, hasClose: typeof props.onClose === "function",
        returnUrl: withoutResume(location.href), resume,
        options: JSON.parse(JSON.stringify({ ...options, nonModal: undefined })) as ToEmbed["options"],
      };
      frame.contentWindow?.postMessage(init, this.#origin);
    });
    this.#frame = frame;
    this.#target.append(frame);
  }

  /**
   * Keeps the frame full-screen while the viewport is small (a phone, or a narrow window), in place otherwise; the
   * page behind does not scroll while the journey covers it. Answers how to undo it.
   */
  #layout(frame: HTMLIFrameElement, bordered: boolean, nonModal: boolean | undefined): () => void {
    const small = typeof window.matchMedia === "function" ? window.matchMedia(SMALL_SCREEN) : undefined;
    const root = document.documentElement;
    const overflow = root.style.overflow;
    const apply = () => {
      const full = isFullScreen(small?.matches === true, nonModal);
      Object.assign(frame.style, frameStyle(full, bordered));
      root.style.overflow = full ? "hidden" : overflow;
      frame.toggleAttribute("data-full-screen", full);
    };
    apply();
    small?.addEventListener("change", apply);
    return () => {
      small?.removeEventListener("change", apply);
      root.style.overflow = overflow;
    };
  }

  #handle(message: FromEmbed): void {
    const props = this.#props;
    switch (message.type) {
      case "connectionStarted":
        if (props.onConnectionStarted) this.#call(() => props.onConnectionStarted!(message.connection));
        break;
      case "connection":
        this.#call(() => props.onConnection(message.connection));
        break;
      case "consent":
        if (props.onConsent) this.#call(() => props.onConsent!({ text: message.text }));
        break;
      case "finish":
        this.#call(() => props.onFinish());
        break;
      case "close":
        if (props.onClose) this.#call(() => props.onClose!());
        break;
      case "error":
        this.#call(() => props.onError(message.error));
        break;
      case "navigate":
        // The popup was blocked: the whole page goes to the sign-in, which comes back here with the result.
        if (isAuthorizeUrl(message.url, this.#origin)) window.location.assign(message.url);
        break;
      default:
        break;
    }
  }

  /** An app callback that throws must not break the journey. */
  #call(callback: () => void): void {
    try {
      callback();
    } catch (e) {
      console.error("CodatLink: a callback threw", e);
    }
  }
}

/** Codat's helper, for apps that used `initializeCodatLink` from @codat/sdk-link-types. */
export async function initializeCodatLink(target: HTMLElement, props: CodatLinkProps): Promise<void> {
  new CodatLink({ target, props });
}
