/**
 * The page's own chrome (labels and buttons), per interface language; everything about the
 * story and the site (titles, texts, byline, ad labels, disclaimer, consent) comes from the API.
 */
const en = {
  skip: "Skip to content",
  connect: "Connect with us",
  share: "SHARE:",
  shareArticle: "Share this article:",
  published: "published on",
  trending: "Trending",
  views: (n: number) => `${n} ${n === 1 ? "view" : "views"}`,
  noTrending: "No stories read yet.",
  newsletter: "Newsletter",
  email: "E-mail address",
  consent: "I agree",
  subscribe: "Sign up",
  consentRequired: "Please tick the box to agree before signing up.",
  invalidEmail: "Please enter a valid e-mail address.",
  PENDING_CONFIRMATION: "Almost done: we have sent you an e-mail. Click its link to confirm your subscription.",
  SUBSCRIBED: "You are subscribed.",
  otherLanguages: "Also in",
  edition: "Edition",
  fallback: (wanted: string, shown: string) =>
    `This story is not published in ${wanted}; you are reading it in ${shown}.`,
  older: "Older stories",
  latest: "Latest",
  loading: "Loading…",
  notFound: "This page does not exist (any more).",
  failed: "The page could not be loaded:",
};

export type Strings = typeof en;

const nl: Strings = {
  ...en,
  skip: "Naar de inhoud",
  connect: "Verbind je met ons",
  share: "DELEN:",
  shareArticle: "Deel dit artikel:",
  published: "gepubliceerd op",
  views: (n) => `${n} keer gelezen`,
  noTrending: "Nog geen artikelen gelezen.",
  newsletter: "Nieuwsbrief",
  email: "E-mailadres",
  consent: "Ik ga akkoord",
  subscribe: "Aanmelden",
  consentRequired: "Vink het vakje aan om akkoord te gaan voordat u zich aanmeldt.",
  invalidEmail: "Vul een geldig e-mailadres in.",
  PENDING_CONFIRMATION:
    "Bijna klaar: we hebben u een e-mail gestuurd. Klik op de link erin om uw aanmelding te bevestigen.",
  SUBSCRIBED: "U bent aangemeld.",
  otherLanguages: "Ook in",
  edition: "Editie",
  fallback: (wanted, shown) => `Dit artikel is niet verschenen in het ${wanted}; u leest het in het ${shown}.`,
  older: "Oudere artikelen",
  latest: "Laatste nieuws",
  loading: "Laden…",
  notFound: "Deze pagina bestaat niet (meer).",
  failed: "De pagina kon niet worden geladen:",
};

const byLanguage: Record<string, Strings> = { en, nl };

export const stringsFor = (language: string | null | undefined): Strings =>
  byLanguage[(language ?? "en").split("-")[0]!] ?? en;

/** A language's name in the interface language, from the browser's own data (Intl). */
export function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage, "en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function formatDate(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso));
}
