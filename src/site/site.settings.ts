import fs from "node:fs";
import { z } from "zod";
import type { Config } from "../config";

/**
 * Publication-wide texts and links. Defaults describe the demo publication; a JSON file
 * named by SITE_CONFIG_FILE replaces any of them.
 */
export interface SiteSettings {
  name: string;
  url: string;
  defaultLanguage: string;
  languages: string[];
  /** Per language; the default language's text stands in for languages without one. */
  disclaimer: Record<string, string>;
  newsletterConsentText: Record<string, string>;
  socialLinks: Array<{ network: string; url: string }>;
  /** The publication's name per language, as Google News and feed readers show it; `name` where absent. */
  publicationName: Record<string, string>;
}

const DEFAULT_DISCLAIMER: Record<string, string> = {
  en: "EU Reporter publishes articles from a variety of outside sources which express a wide range of viewpoints. The positions taken in these articles are not necessarily those of EU Reporter.",
  nl: "EU Reporter publiceert artikelen uit verschillende externe bronnen die een breed scala aan standpunten uitdrukken. De standpunten die in deze artikelen worden ingenomen, zijn niet noodzakelijk die van EU Reporter.",
  de: "EU Reporter veröffentlicht Artikel aus verschiedenen externen Quellen, die ein breites Spektrum an Standpunkten zum Ausdruck bringen. Die in diesen Artikeln vertretenen Positionen sind nicht unbedingt die von EU Reporter.",
  fr: "EU Reporter publie des articles de diverses sources extérieures qui expriment un large éventail de points de vue. Les positions prises dans ces articles ne sont pas nécessairement celles d'EU Reporter.",
};

const DEFAULT_CONSENT: Record<string, string> = {
  en: "We use your sign-up to provide content in ways you've consented to and to improve our understanding of you. You can unsubscribe at any time.",
  nl: "We gebruiken uw aanmelding om inhoud aan te bieden op manieren waarmee u heeft ingestemd en om ons begrip van u te verbeteren. U kunt zich op elk moment afmelden.",
  de: "Wir verwenden Ihre Anmeldung, um Inhalte auf die Weise bereitzustellen, der Sie zugestimmt haben, und um Sie besser zu verstehen. Sie können sich jederzeit abmelden.",
  fr: "Nous utilisons votre inscription pour vous proposer du contenu de la manière à laquelle vous avez consenti et pour mieux vous connaître. Vous pouvez vous désabonner à tout moment.",
};

const DEFAULT_SOCIAL_LINKS = [
  { network: "facebook", url: "https://www.facebook.com/EUReporter" },
  { network: "x", url: "https://x.com/EUReporter" },
  { network: "linkedin", url: "https://www.linkedin.com/company/eu-reporter" },
  { network: "youtube", url: "https://www.youtube.com/@EUReporter" },
  { network: "telegram", url: "https://t.me/eureporter" },
];

const texts = z.record(z.string().min(2).max(35), z.string().min(1).max(2000));
const FileSchema = z
  .object({
    disclaimer: texts.optional(),
    newsletterConsentText: texts.optional(),
    publicationName: z.record(z.string().min(2).max(35), z.string().min(1).max(200)).optional(),
    socialLinks: z
      .array(z.object({ network: z.string().min(1).max(50), url: z.url({ protocol: /^https?$/ }) }).strict())
      .optional(),
  })
  .strict();

export function loadSiteSettings(config: Config): SiteSettings {
  let file: z.infer<typeof FileSchema> = {};
  if (config.site.configFile) {
    const path = config.site.configFile;
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(path, "utf8"));
    } catch (err) {
      throw new Error(`SITE_CONFIG_FILE: cannot read ${path} as JSON (${(err as Error).message})`);
    }
    const parsed = FileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(parsed.error.issues.map((i) => `SITE_CONFIG_FILE ${i.path.join(".")}: ${i.message}`).join("\n"));
    }
    file = parsed.data;
  }
  return {
    name: config.site.name,
    url: config.publicSiteUrl,
    defaultLanguage: config.site.defaultLanguage,
    languages: config.site.languages,
    disclaimer: file.disclaimer ?? DEFAULT_DISCLAIMER,
    newsletterConsentText: file.newsletterConsentText ?? DEFAULT_CONSENT,
    socialLinks: file.socialLinks ?? DEFAULT_SOCIAL_LINKS,
    publicationName: file.publicationName ?? {},
  };
}

/** A per-language text, falling back to the default language, then to any text there is. */
export function textFor(
  settings: SiteSettings,
  texts: Record<string, string>,
  language?: string | null,
): string | null {
  return (language ? texts[language] : undefined) ?? texts[settings.defaultLanguage] ?? Object.values(texts)[0] ?? null;
}

/** The publication's name in `language` (SITE_CONFIG_FILE publicationName), else SITE_NAME. */
export function publicationName(settings: SiteSettings, language: string): string {
  return settings.publicationName[language] ?? settings.name;
}
