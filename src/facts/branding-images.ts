/**
 * Company branding's stream properties and the limits Microsoft publishes for each
 * (docs/graph-behaviour.md, company branding images): formats, largest file, largest picture. Where
 * the Graph reference and the Entra admin center's page disagree, the smaller limit is kept (square
 * logos: 10 KB in Graph's reference, 50 KB in the admin center's). Read by the kind (plan refuses a
 * file over them, naming it) and by the sandbox (which refuses the upload), each checking on its own.
 */
export type BrandingFormat = "png" | "jpeg" | "css";

export interface BrandingStreamLimit {
  /** The stream property, e.g. `bannerLogo`. */
  readonly property: string;
  readonly formats: readonly BrandingFormat[];
  readonly maxBytes: number;
  /** Largest picture in pixels (images only). */
  readonly maxWidth?: number;
  readonly maxHeight?: number;
}

export const BRANDING_STREAMS: readonly BrandingStreamLimit[] = [
  { property: "backgroundImage", formats: ["png", "jpeg"], maxBytes: 300 * 1024, maxWidth: 1920, maxHeight: 1080 },
  { property: "bannerLogo", formats: ["png", "jpeg"], maxBytes: 50 * 1024, maxWidth: 245, maxHeight: 36 },
  { property: "headerLogo", formats: ["png", "jpeg"], maxBytes: 10 * 1024, maxWidth: 245, maxHeight: 36 },
  { property: "squareLogo", formats: ["png", "jpeg"], maxBytes: 10 * 1024, maxWidth: 240, maxHeight: 240 },
  { property: "squareLogoDark", formats: ["png", "jpeg"], maxBytes: 10 * 1024, maxWidth: 240, maxHeight: 240 },
  { property: "favicon", formats: ["png", "jpeg"], maxBytes: 5 * 1024, maxWidth: 32, maxHeight: 32 },
  { property: "customCSS", formats: ["css"], maxBytes: 25 * 1024 },
];

/** The Content-Type Graph takes for each format. */
export const BRANDING_CONTENT_TYPES: Readonly<Record<BrandingFormat, string>> = { png: "image/png", jpeg: "image/jpeg", css: "text/css" };
