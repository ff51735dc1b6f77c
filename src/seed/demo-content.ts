/**
 * Demo content seeded into the Courant database on first start.
 *
 * The first story ("moscow-urges-talks") is based on a real EU Reporter article page
 * (see /work/shared/demo/article-page-nl.txt): the Dutch body paragraphs are verbatim,
 * the English original and the German version were written for the demo.
 * All other stories are fictional demo content written for Courant.
 *
 * Items whose titles start with DRAFT:, SCHEDULED:, ARCHIVED: or DELETED: must never be
 * publicly visible; they exist to test that invisibility.
 */

export interface DemoImage {
  url: string;
  alt?: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
}
export interface DemoSection {
  slug: string;
  name: string;
  description?: string;
  parent?: string; /* parent section slug */
}
export interface DemoAuthor {
  slug: string;
  name: string;
  role?: string;
  bio?: string;
  email: string;
  avatar?: DemoImage;
}
export interface DemoTag {
  slug: string;
  name: string;
}
export interface DemoArticle {
  story: string; // story key shared by all language versions of one story, e.g. "moscow-urges-talks"
  language: string; // one of the 24 EU official language codes: bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv
  slug: string; // lowercase a-z0-9 and hyphens, unique per language, derived from the title (transliterate accents)
  title: string;
  standfirst?: string;
  body: string; // HTML: <p>, <h2>/<h3>, <blockquote>, <ul>/<ol>/<li>, <a href="https://...">, <strong>, <em>, <figure><img src alt><figcaption>. Put the literal marker <div data-ad-slot></div> between paragraphs where the page shows an advertisement.
  section: string; // section slug
  authors: string[]; // author slugs in byline order
  tags: string[]; // tag slugs
  status: "published" | "draft" | "scheduled" | "archived";
  publishedAt?: string; // ISO 8601 UTC, e.g. "2020-10-05T09:30:00.000Z"; required for published/archived
  publishInDays?: number; // only for status "scheduled": publish this many days after seeding
  deleted?: boolean; // soft-deleted article (must never be visible publicly)
  heroImage?: DemoImage;
  source?: { name: string; url?: string };
  disclaimer?: string; // only when the article has its own; otherwise the site default applies
}

// ---------------------------------------------------------------------------
// Small helpers for writing bodies (not exported).
// ---------------------------------------------------------------------------

/** Advertisement marker placed between paragraphs. */
const AD = "<div data-ad-slot></div>";
/** Wraps plain text in a paragraph. The text must already be HTML-safe. */
const p = (text: string): string => `<p>${text}</p>`;
/** Joins body blocks with newlines. */
const html = (...blocks: string[]): string => blocks.join("\n");

// ---------------------------------------------------------------------------
// Sections (parents before children)
// ---------------------------------------------------------------------------

export const demoSections: DemoSection[] = [
  { slug: "eu", name: "EU", description: "News from the European Union institutions and the member states." },
  {
    slug: "eu-parliament",
    name: "European Parliament",
    description: "Plenary sessions, committees and votes of the European Parliament.",
    parent: "eu",
  },
  {
    slug: "eu-commission",
    name: "European Commission",
    description: "Proposals, decisions and policy from the European Commission.",
    parent: "eu",
  },
  { slug: "world", name: "World", description: "Europe's neighbourhood and the wider world." },
  { slug: "politics", name: "Politics", description: "National politics in the member states." },
  { slug: "business", name: "Business", description: "Economy, markets, companies and trade." },
  { slug: "environment", name: "Environment", description: "Climate, energy and nature." },
  { slug: "opinion", name: "Opinion", description: "Columns and commentary. The views are the authors' own." },
];

// ---------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------

export const demoAuthors: DemoAuthor[] = [
  {
    slug: "alex-ivanov",
    name: "Alex Ivanov",
    role: "Moscow correspondent",
    bio: "Alex Ivanov reports on Russia, the South Caucasus and Central Asia from Moscow.",
    email: "alex.ivanov@example.com",
    avatar: { url: "https://images.example.com/authors/alex-ivanov.jpg", alt: "Alex Ivanov", width: 400, height: 400 },
  },
  {
    slug: "maria-jansen",
    name: "Maria Jansen",
    role: "Brussels correspondent",
    bio: "Maria Jansen covers the European Commission and the Council, with a focus on climate and trade policy.",
    email: "maria.jansen@example.com",
    avatar: {
      url: "https://images.example.com/authors/maria-jansen.jpg",
      alt: "Maria Jansen",
      width: 400,
      height: 400,
    },
  },
  {
    slug: "nikos-papadakis",
    name: "Nikos Papadakis",
    role: "European Parliament correspondent",
    bio: "Nikos Papadakis follows the European Parliament in Brussels and Strasbourg and writes about digital policy.",
    email: "nikos.papadakis@example.com",
  },
  {
    slug: "thomas-keller",
    name: "Thomas Keller",
    role: "Berlin correspondent",
    bio: "Thomas Keller reports on German politics and the German economy from Berlin.",
    email: "thomas.keller@example.com",
    avatar: {
      url: "https://images.example.com/authors/thomas-keller.jpg",
      alt: "Thomas Keller",
      width: 400,
      height: 400,
    },
  },
  {
    slug: "sophie-laurent",
    name: "Sophie Laurent",
    role: "Paris correspondent",
    bio: "Sophie Laurent covers French politics and France's role in the EU.",
    email: "sophie.laurent@example.com",
  },
  {
    slug: "ruta-kazlauskaite",
    name: "Rūta Kazlauskaitė",
    role: "Baltic correspondent",
    bio: "Rūta Kazlauskaitė reports from Vilnius on Lithuania, Latvia, Estonia and Belarus.",
    email: "ruta.kazlauskaite@example.com",
  },
  {
    slug: "james-whitfield",
    name: "James Whitfield",
    role: "Business editor",
    bio: "James Whitfield edits Courant's business coverage and writes about the euro area economy.",
    email: "james.whitfield@example.com",
  },
  {
    slug: "elena-moretti",
    name: "Elena Moretti",
    role: "Contributing columnist",
    bio: "Elena Moretti is a public health researcher and writes a fortnightly column on European health policy.",
    email: "elena.moretti@example.com",
    avatar: {
      url: "https://images.example.com/authors/elena-moretti.jpg",
      alt: "Elena Moretti",
      width: 400,
      height: 400,
    },
  },
];

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

export const demoTags: DemoTag[] = [
  { slug: "russia", name: "Russia" },
  { slug: "armenia", name: "Armenia" },
  { slug: "azerbaijan", name: "Azerbaijan" },
  { slug: "nagorno-karabakh", name: "Nagorno-Karabakh" },
  { slug: "diplomacy", name: "Diplomacy" },
  { slug: "european-parliament", name: "European Parliament" },
  { slug: "european-commission", name: "European Commission" },
  { slug: "climate", name: "Climate" },
  { slug: "energy", name: "Energy" },
  { slug: "digital", name: "Digital" },
  { slug: "belarus", name: "Belarus" },
  { slug: "lithuania", name: "Lithuania" },
  { slug: "brexit", name: "Brexit" },
  { slug: "trade", name: "Trade" },
  { slug: "economy", name: "Economy" },
  { slug: "covid-19", name: "COVID-19" },
  { slug: "aviation", name: "Aviation" },
  { slug: "germany", name: "Germany" },
  { slug: "fisheries", name: "Fisheries" },
  { slug: "health", name: "Health" },
];

// ---------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------

const moscowTags = ["russia", "armenia", "azerbaijan", "nagorno-karabakh", "diplomacy"];

export const demoArticles: DemoArticle[] = [
  // --- Story 1: moscow-urges-talks (English original, Dutch from the real page, German) ---
  {
    story: "moscow-urges-talks",
    language: "en",
    slug: "moscow-urges-baku-and-yerevan-to-negotiate",
    title: "Moscow urges Baku and Yerevan to negotiate",
    standfirst:
      "Bound to Armenia by a defence pact and to Azerbaijan by arms deals, Russia is calling on both sides to stop the fighting over Nagorno-Karabakh and return to the negotiating table.",
    body: html(
      p(
        `The renewed outbreak of military conflict between Azerbaijan and Armenia over Nagorno-Karabakh has caused serious concern around the world. Russia has not stood aside either. Armenia is a strategic partner and a state with which Russia maintains close political and economic relations. Armenia is a member of the Collective Security Treaty Organization (which also unites Russia, Belarus, Kazakhstan, Kyrgyzstan and Tajikistan). There is a Russian military base in Armenia. At the same time, intensive ties are maintained between Moscow and Baku, including on the purchase of Russian weapons, writes Moscow correspondent Alex Ivanov.`,
      ),
      p(
        `In this situation Russia found itself in a difficult position: it had to take a flexible but principled stance. This is exactly what Moscow did, calling on both countries to abandon the logic of war and sit down at the negotiating table.`,
      ),
      p(
        `Dmitry Peskov, press secretary of the President of the Russian Federation, told the media: "The Kremlin proceeds first and foremost from the need for an early ceasefire and an end to the fighting. Any statements about military support or military activity certainly add fuel to the fire. We are categorically against this and do not agree with this way of presenting the issue. We call on everyone, all countries, especially our partners such as Turkey, to do everything possible to persuade the warring parties to cease fire and return to a peaceful settlement of this long-standing conflict by political and diplomatic means."`,
      ),
      p(
        `Since the start of hostilities on 27 September, Moscow, Yerevan and Baku have maintained an active dialogue, both at the highest level and through their foreign ministries and other structures. At the same time, it is stressed that the Russian side is urging both opposing parties to stop the fighting and enter into dialogue. However, the prospects for such a solution do not suit everyone. In particular, the President of Azerbaijan has already stated that it is difficult to begin negotiations because of Yerevan's hard-line position on Nagorno-Karabakh.`,
      ),
      p(`Nevertheless, Moscow continues to try to achieve a ceasefire and stop needless bloodshed.`),
      p(
        `It is notable that the skirmishes that took place a few months ago on the border between Azerbaijan and Armenia caused clashes and hostility between members of the two countries' national diasporas living in Moscow. Armenians and Azerbaijanis are actively involved in the wholesale fruit and vegetable trade in Moscow. The conflict on the border then led to clashes between traders from the two countries and to attacks on shops, cafés and restaurants. Fruit from Armenia was boycotted at large wholesale markets, which are mainly controlled by people from Azerbaijan. The Russian authorities went to great lengths to resolve this conflict. Given the current deterioration of the situation, Moscow is trying to prevent a repeat of these events. To prevent inter-ethnic clashes, the Russian ministries of foreign affairs and internal affairs have already established the necessary contacts with the embassies of Armenia and Azerbaijan in Moscow.`,
      ),
      p(
        `President Putin is also expected to address Baku and Yerevan in the coming days and once again urge the parties to sit down at the negotiating table.`,
      ),
      AD,
      p(
        `Many analysts in Russia and Europe believe that Moscow is "not very active" with regard to the deterioration of the situation around Nagorno-Karabakh. Many believed that Russia would take Armenia's side in the conflict.`,
      ),
      p(
        `Nevertheless, it is already clear that Moscow is trying to maintain maximum impartiality in order to reconcile the parties. Let us hope that this approach bears fruit in the near future.`,
      ),
    ),
    section: "eu",
    authors: ["alex-ivanov"],
    tags: moscowTags,
    status: "published",
    publishedAt: "2020-10-05T08:30:00.000Z",
    heroImage: {
      url: "https://images.example.com/2020/10/moscow-urges-talks.jpg",
      alt: "The flags of Armenia and Azerbaijan on either side of a conference table",
      caption: "Moscow has called on Armenia and Azerbaijan to return to the negotiating table.",
      credit: "Example Photo Agency",
      width: 1600,
      height: 900,
    },
  },
  {
    story: "moscow-urges-talks",
    language: "nl",
    slug: "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen",
    title: "Moskou roept Baku en Yerevan op om te onderhandelen",
    body: html(
      p(
        `Het nieuwe uitbreken van het militaire conflict tussen Azerbeidzjan en Armenië over Nagorno-Karabach heeft de hele wereld ernstig bezorgd gemaakt. Ook Rusland hield zich niet aan de kant. Armenië is een strategische partner en een staat waarmee Rusland nauwe politieke en economische betrekkingen onderhoudt. Armenië is lid van The Collective Security Treaty Organization (die ook Rusland, Wit-Rusland, Kazachstan, Kirgizië en Tadzjikistan verenigt). In Armenië bevindt zich een Russische militaire basis. Tegelijkertijd worden er intensieve banden onderhouden tussen Moskou en Bakoe, onder meer over de aankoop van Russische wapens, schrijft Moskou-correspondent Alex Ivanov.`,
      ),
      p(
        `In deze situatie bevond Rusland zich in een moeilijke situatie - om een flexibel maar principieel standpunt in te nemen. Dit is precies wat Moskou deed, door beide landen op te roepen de logica van oorlog los te laten en aan de onderhandelingstafel te gaan zitten.`,
      ),
      p(
        `Dmitry Peskov, perssecretaris van de president van de Russische Federatie zei tegen de media: "Het Kremlin komt in de eerste plaats voort uit de noodzaak van een spoedig staakt-het-vuren en vechten. Alle uitspraken over militaire steun of militaire activiteit zijn zeker olie op het vuur. Wij zijn categorisch tegen en zijn het niet eens met deze verklaring van de kwestie. We roepen iedereen, alle landen, vooral onze partners, zoals Turkije, op om al het mogelijke te doen om de strijdende partijen te overtuigen het vuren te staken en terug te keren naar een vreedzame regeling van deze kwestie. langdurig conflict met politieke en diplomatieke middelen."`,
      ),
      p(
        `Sinds het begin van de vijandelijkheden op 27 september hebben Moskou, Yerevan en Bakoe een actieve dialoog gevoerd, zowel op het hoogste niveau als via de ministeries van Buitenlandse Zaken en andere structuren. Tegelijkertijd wordt benadrukt dat de Russische zijde beide tegengestelde partijen ertoe neigt de strijd te staken en een dialoog aan te gaan. De vooruitzichten voor een dergelijke oplossing zijn echter niet voor iedereen geschikt. Met name de president van Azerbeidzjan heeft al verklaard dat het moeilijk is om onderhandelingen te beginnen vanwege Jerevans harde standpunt over Nagorno-Karabach.`,
      ),
      p(`Niettemin blijft Moskou proberen een wapenstilstand te bereiken en onnodig bloedvergieten te stoppen.`),
      p(
        `Het is opmerkelijk dat de schermutselingen die een paar maanden geleden plaatsvonden aan de grens van Azerbeidzjan en Armenië botsingen en vijandigheid veroorzaakten tussen vertegenwoordigers van de nationale diaspora's van de twee landen die in Moskou wonen. Armeniërs en Azerbeidzjanen zijn actief betrokken bij de groothandel in groenten en fruit in Moskou. Het conflict aan de grens veroorzaakte vervolgens botsingen tussen kooplieden van de twee landen en aanvallen op winkels, cafés en restaurants. Fruit uit Armenië werd geboycot op grote groothandelsmarkten, die voornamelijk worden gecontroleerd door mensen uit Azerbeidzjan. De Russische autoriteiten hebben veel moeite gedaan om dit conflict op te lossen. Gezien de huidige verslechtering van de situatie probeert Moskou een herhaling van deze gebeurtenissen te voorkomen. Om interetnische botsingen te voorkomen, hebben de Russische ministeries van Buitenlandse Zaken en Binnenlandse Zaken al de nodige contacten gelegd met de ambassades van Armenië en Azerbeidzjan in Moskou.`,
      ),
      p(
        `Ook wordt verwacht dat president Poetin de komende dagen Baku en Yerevan zal toespreken en de partijen opnieuw zal aansporen om aan de onderhandelingstafel te gaan zitten.`,
      ),
      AD,
      p(
        `Veel analisten in Rusland en Europa zijn van mening dat Moskou "niet erg actief" is in verband met de verslechtering van de situatie rond Nagorno-Karabach. Velen geloofden dat Rusland de kant van Armenië zou kiezen in het conflict.`,
      ),
      p(
        `Niettemin is het al duidelijk dat Moskou probeert maximale onpartijdigheid te behouden voor verzoening van de partijen. Laten we hopen dat deze aanpak in de nabije toekomst vruchten afwerpt.`,
      ),
    ),
    section: "eu",
    authors: ["alex-ivanov"],
    tags: moscowTags,
    status: "published",
    publishedAt: "2020-10-05T09:30:00.000Z",
    // The same photo as the English original, described in Dutch.
    heroImage: {
      url: "https://images.example.com/2020/10/moscow-urges-talks.jpg",
      alt: "De vlaggen van Armenië en Azerbeidzjan aan weerszijden van een vergadertafel",
      caption: "Moskou heeft Armenië en Azerbeidzjan opgeroepen terug te keren naar de onderhandelingstafel.",
      credit: "Example Photo Agency",
      width: 1600,
      height: 900,
    },
  },
  {
    story: "moscow-urges-talks",
    language: "de",
    slug: "moskau-ruft-baku-und-eriwan-zu-verhandlungen-auf",
    title: "Moskau ruft Baku und Eriwan zu Verhandlungen auf",
    standfirst:
      "Russland ist mit Armenien durch ein Verteidigungsbündnis und mit Aserbaidschan durch Waffengeschäfte verbunden. Nun ruft Moskau beide Seiten auf, die Kämpfe um Bergkarabach einzustellen.",
    body: html(
      p(
        `Der erneute Ausbruch des militärischen Konflikts zwischen Aserbaidschan und Armenien um Bergkarabach hat die ganze Welt in ernste Sorge versetzt. Auch Russland stand nicht abseits. Armenien ist ein strategischer Partner und ein Staat, mit dem Russland enge politische und wirtschaftliche Beziehungen unterhält. Armenien ist Mitglied der Organisation des Vertrags über kollektive Sicherheit (der auch Russland, Belarus, Kasachstan, Kirgisistan und Tadschikistan angehören). In Armenien befindet sich ein russischer Militärstützpunkt. Gleichzeitig werden enge Beziehungen zwischen Moskau und Baku gepflegt, unter anderem beim Kauf russischer Waffen, schreibt Moskau-Korrespondent Alex Ivanov.`,
      ),
      p(
        `In dieser Lage befand sich Russland in einer schwierigen Position: Es musste einen flexiblen, aber prinzipientreuen Standpunkt einnehmen. Genau das hat Moskau getan, indem es beide Länder aufforderte, sich von der Logik des Krieges zu lösen und sich an den Verhandlungstisch zu setzen.`,
      ),
      p(
        `Dmitri Peskow, Pressesprecher des Präsidenten der Russischen Föderation, sagte gegenüber den Medien: „Der Kreml geht in erster Linie von der Notwendigkeit einer baldigen Waffenruhe und eines Endes der Kämpfe aus. Alle Äußerungen über militärische Unterstützung oder militärische Aktivitäten gießen mit Sicherheit Öl ins Feuer. Wir sind kategorisch dagegen und mit dieser Darstellung der Frage nicht einverstanden. Wir rufen alle, alle Länder, insbesondere unsere Partner wie die Türkei, dazu auf, alles Mögliche zu tun, um die Konfliktparteien zu überzeugen, das Feuer einzustellen und zu einer friedlichen Regelung dieses langjährigen Konflikts mit politischen und diplomatischen Mitteln zurückzukehren.“`,
      ),
      p(
        `Seit Beginn der Feindseligkeiten am 27. September führen Moskau, Eriwan und Baku einen aktiven Dialog, sowohl auf höchster Ebene als auch über die Außenministerien und andere Strukturen. Zugleich wird betont, dass die russische Seite beide gegnerischen Parteien dazu drängt, die Kämpfe einzustellen und in einen Dialog einzutreten. Die Aussichten auf eine solche Lösung sagen jedoch nicht allen zu. Insbesondere der Präsident Aserbaidschans hat bereits erklärt, es sei wegen der harten Haltung Eriwans zu Bergkarabach schwierig, Verhandlungen aufzunehmen.`,
      ),
      p(`Dennoch versucht Moskau weiterhin, eine Waffenruhe zu erreichen und unnötiges Blutvergießen zu beenden.`),
      p(
        `Bemerkenswert ist, dass die Gefechte, die vor einigen Monaten an der Grenze zwischen Aserbaidschan und Armenien stattfanden, Zusammenstöße und Feindseligkeiten zwischen Angehörigen der in Moskau lebenden Diasporas beider Länder auslösten. Armenier und Aserbaidschaner sind im Moskauer Obst- und Gemüsegroßhandel stark vertreten. Der Konflikt an der Grenze führte damals zu Zusammenstößen zwischen Händlern aus beiden Ländern und zu Angriffen auf Geschäfte, Cafés und Restaurants. Obst aus Armenien wurde auf großen Großmärkten boykottiert, die überwiegend von Menschen aus Aserbaidschan kontrolliert werden. Die russischen Behörden haben große Anstrengungen unternommen, um diesen Konflikt zu lösen. Angesichts der aktuellen Verschärfung der Lage versucht Moskau, eine Wiederholung dieser Ereignisse zu verhindern. Um interethnische Zusammenstöße zu vermeiden, haben das russische Außen- und das Innenministerium bereits die notwendigen Kontakte zu den Botschaften Armeniens und Aserbaidschans in Moskau aufgenommen.`,
      ),
      p(
        `Zudem wird erwartet, dass sich Präsident Putin in den kommenden Tagen an Baku und Eriwan wenden und die Parteien erneut drängen wird, sich an den Verhandlungstisch zu setzen.`,
      ),
      AD,
      p(
        `Viele Analysten in Russland und Europa sind der Ansicht, dass Moskau angesichts der Verschärfung der Lage um Bergkarabach „nicht sehr aktiv“ sei. Viele hatten geglaubt, Russland werde in dem Konflikt Partei für Armenien ergreifen.`,
      ),
      p(
        `Dennoch ist bereits klar, dass Moskau versucht, größtmögliche Unparteilichkeit zu wahren, um die Parteien miteinander zu versöhnen. Hoffen wir, dass dieser Ansatz in naher Zukunft Früchte trägt.`,
      ),
    ),
    section: "eu",
    authors: ["alex-ivanov"],
    tags: moscowTags,
    status: "published",
    publishedAt: "2020-10-05T10:15:00.000Z",
    heroImage: {
      url: "https://images.example.com/2020/10/moscow-urges-talks.jpg",
      alt: "Die Flaggen Armeniens und Aserbaidschans an einem Konferenztisch",
      caption: "Moskau fordert Armenien und Aserbaidschan auf, an den Verhandlungstisch zurückzukehren.",
      credit: "Example Photo Agency",
      width: 1600,
      height: 900,
    },
  },

  // --- Story: eu-climate-target-2030 (en, de, nl) ---
  {
    story: "eu-climate-target-2030",
    language: "en",
    slug: "commission-proposes-cutting-emissions-by-at-least-55-by-2030",
    title: "Commission proposes cutting emissions by at least 55% by 2030",
    standfirst:
      "The higher target would put the EU on course for climate neutrality by 2050, but must still win over member states and the European Parliament.",
    body: html(
      p(
        `The European Commission has proposed raising the EU's target for cutting greenhouse gas emissions by 2030 to at least 55% compared with 1990 levels, up from the current goal of 40%.`,
      ),
      p(
        `The plan, presented in Brussels on Thursday, is intended to put the bloc on track to reach climate neutrality by 2050, the objective at the heart of the <a href="https://ec.europa.eu/info/strategy/priorities-2019-2024/european-green-deal_en">European Green Deal</a>.`,
      ),
      p(
        `To reach the new target, the Commission intends to review a broad range of legislation by next summer, including the emissions trading system, renewable energy rules and energy efficiency standards.`,
      ),
      AD,
      p(
        `Environmental groups said the proposal did not go far enough, while some industry associations warned of higher costs. The target must now be agreed by member states and the European Parliament.`,
      ),
    ),
    section: "eu-commission",
    authors: ["maria-jansen"],
    tags: ["climate", "energy", "european-commission"],
    status: "published",
    publishedAt: "2020-09-17T11:00:00.000Z",
    heroImage: {
      url: "https://images.example.com/2020/09/berlaymont-climate.jpg",
      alt: "The Berlaymont building in Brussels under a cloudy sky",
      caption: "The Commission presented its 2030 climate target plan in Brussels.",
      credit: "Example Photo Agency",
      width: 1600,
      height: 900,
    },
  },
  {
    story: "eu-climate-target-2030",
    language: "de",
    slug: "kommission-will-emissionen-bis-2030-um-mindestens-55-prozent-senken",
    title: "Kommission will Emissionen bis 2030 um mindestens 55 Prozent senken",
    body: html(
      p(
        `Die Europäische Kommission hat vorgeschlagen, das Ziel der EU für die Senkung der Treibhausgasemissionen bis 2030 auf mindestens 55 Prozent gegenüber 1990 anzuheben. Bisher lag es bei 40 Prozent.`,
      ),
      p(
        `Der am Donnerstag in Brüssel vorgestellte Plan soll die Union auf Kurs bringen, bis 2050 klimaneutral zu werden, das Kernziel des europäischen Grünen Deals.`,
      ),
      p(
        `Um das neue Ziel zu erreichen, will die Kommission bis zum nächsten Sommer zahlreiche Rechtsakte überarbeiten, darunter den Emissionshandel, die Vorschriften für erneuerbare Energien und die Standards für Energieeffizienz.`,
      ),
      AD,
      p(
        `Umweltverbände kritisierten, der Vorschlag gehe nicht weit genug, während einige Industrieverbände vor höheren Kosten warnten. Über das Ziel müssen sich nun die Mitgliedstaaten und das Europäische Parlament einigen.`,
      ),
    ),
    section: "eu-commission",
    authors: ["maria-jansen"],
    tags: ["climate", "energy", "european-commission"],
    status: "published",
    publishedAt: "2020-09-17T12:30:00.000Z",
  },
  {
    story: "eu-climate-target-2030",
    language: "nl",
    slug: "commissie-wil-uitstoot-tegen-2030-met-minstens-55-procent-verminderen",
    title: "Commissie wil uitstoot tegen 2030 met minstens 55 procent verminderen",
    body: html(
      p(
        `De Europese Commissie heeft voorgesteld de EU-doelstelling voor de vermindering van de uitstoot van broeikasgassen tegen 2030 te verhogen tot ten minste 55 procent ten opzichte van 1990. Het huidige doel is 40 procent.`,
      ),
      p(
        `Het plan, dat donderdag in Brussel werd gepresenteerd, moet de Unie op koers zetten naar klimaatneutraliteit in 2050, de kern van de Europese Green Deal.`,
      ),
      p(
        `Om het nieuwe doel te halen, wil de Commissie tegen volgende zomer een groot aantal wetten herzien, waaronder het emissiehandelssysteem, de regels voor hernieuwbare energie en de normen voor energie-efficiëntie.`,
      ),
      AD,
      p(
        `Milieuorganisaties vinden dat het voorstel niet ver genoeg gaat, terwijl sommige brancheorganisaties waarschuwen voor hogere kosten. Over het doel moeten de lidstaten en het Europees Parlement het nu eens worden.`,
      ),
    ),
    section: "eu-commission",
    authors: ["maria-jansen"],
    tags: ["climate", "energy", "european-commission"],
    status: "published",
    publishedAt: "2020-09-17T12:45:00.000Z",
  },

  // --- Story: vilnius-belarus-opposition (en, lt) ---
  {
    story: "vilnius-belarus-opposition",
    language: "en",
    slug: "vilnius-becomes-a-hub-for-the-belarusian-opposition",
    title: "Vilnius becomes a hub for the Belarusian opposition",
    standfirst:
      "Lithuania is offering visas and office space to Belarusians fleeing the crackdown, and pressing its EU partners for sanctions.",
    body: html(
      p(
        `Since the disputed presidential election in Belarus on 9 August, Lithuania's capital has become one of the main destinations for Belarusian opposition activists, journalists and students leaving the country.`,
      ),
      p(
        `The Lithuanian government has offered humanitarian visas and eased entry for people facing persecution, and several Belarusian civil society organisations have opened offices in Vilnius in recent weeks.`,
      ),
      p(
        `Lithuania has also been among the member states pushing hardest for EU sanctions against officials held responsible for election fraud and the violent crackdown on protesters.`,
      ),
      p(
        `"For us this is not a distant crisis. It is happening thirty kilometres from our capital," said a Lithuanian diplomat involved in the talks on sanctions, who asked not to be named.`,
      ),
    ),
    section: "world",
    authors: ["ruta-kazlauskaite"],
    tags: ["belarus", "lithuania", "diplomacy"],
    status: "published",
    publishedAt: "2020-09-14T07:00:00.000Z",
  },
  {
    story: "vilnius-belarus-opposition",
    language: "lt",
    slug: "vilnius-tampa-baltarusijos-opozicijos-centru",
    title: "Vilnius tampa Baltarusijos opozicijos centru",
    body: html(
      p(
        `Po ginčytinų rugpjūčio 9-osios prezidento rinkimų Baltarusijoje Lietuvos sostinė tapo viena pagrindinių krypčių Baltarusijos opozicijos aktyvistams, žurnalistams ir studentams, paliekantiems šalį.`,
      ),
      p(
        `Lietuvos Vyriausybė siūlo humanitarines vizas ir palengvino atvykimą persekiojamiems asmenims, o kelios Baltarusijos pilietinės visuomenės organizacijos per pastarąsias savaites atidarė biurus Vilniuje.`,
      ),
      p(
        `Lietuva taip pat yra tarp valstybių narių, kurios aktyviausiai siekia ES sankcijų pareigūnams, laikomiems atsakingais už rinkimų klastojimą ir smurtinį protestuotojų malšinimą.`,
      ),
      p(
        `„Mums tai nėra tolima krizė. Ji vyksta už trisdešimties kilometrų nuo mūsų sostinės“, – sakė derybose dėl sankcijų dalyvaujantis Lietuvos diplomatas, paprašęs neskelbti jo pavardės.`,
      ),
    ),
    section: "world",
    authors: ["ruta-kazlauskaite"],
    tags: ["belarus", "lithuania", "diplomacy"],
    status: "published",
    publishedAt: "2020-09-14T08:00:00.000Z",
  },

  // --- Story: parliament-platform-rules (en, fr) ---
  {
    story: "parliament-platform-rules",
    language: "en",
    slug: "meps-call-for-tougher-rules-on-online-platforms",
    title: "MEPs call for tougher rules on online platforms",
    standfirst: "Parliament sets out what it expects from the Commission's Digital Services Act, due in December.",
    body: html(
      p(
        `The European Parliament has adopted a set of recommendations urging the European Commission to set clear obligations for online platforms, from the removal of illegal content to transparency about the algorithms that decide what users see.`,
      ),
      p(
        `The resolutions, voted on during the October plenary session, are meant to shape the Commission's forthcoming <em>Digital Services Act</em>, which is expected before the end of the year.`,
      ),
      p(
        `Lawmakers want platforms to act quickly on notices of illegal content while protecting freedom of expression, and want users to be able to challenge decisions to remove their posts. Several political groups also called for limits on targeted advertising.`,
      ),
      "<h2>What comes next</h2>",
      p(
        `The Commission is expected to present its proposals in December. They will then be negotiated by Parliament and the member states in the Council, a process that typically takes at least two years.`,
      ),
    ),
    section: "eu-parliament",
    authors: ["nikos-papadakis"],
    tags: ["european-parliament", "digital"],
    status: "published",
    publishedAt: "2020-10-20T15:00:00.000Z",
  },
  {
    story: "parliament-platform-rules",
    language: "fr",
    slug: "les-eurodeputes-reclament-des-regles-plus-strictes-pour-les-plateformes-en-ligne",
    title: "Les eurodéputés réclament des règles plus strictes pour les plateformes en ligne",
    body: html(
      p(
        `Le Parlement européen a adopté une série de recommandations invitant la Commission européenne à fixer des obligations claires aux plateformes en ligne, du retrait des contenus illicites à la transparence des algorithmes qui déterminent ce que voient les utilisateurs.`,
      ),
      p(
        `Les résolutions, votées lors de la session plénière d'octobre, doivent orienter la future législation sur les services numériques (<em>Digital Services Act</em>), attendue d'ici la fin de l'année.`,
      ),
      p(
        `Les députés veulent que les plateformes réagissent rapidement aux signalements de contenus illicites tout en protégeant la liberté d'expression, et que les utilisateurs puissent contester la suppression de leurs publications. Plusieurs groupes politiques ont également demandé de limiter la publicité ciblée.`,
      ),
      "<h2>Prochaines étapes</h2>",
      p(
        `La Commission devrait présenter ses propositions en décembre. Elles seront ensuite négociées par le Parlement et les États membres au sein du Conseil, un processus qui prend généralement au moins deux ans.`,
      ),
    ),
    section: "eu-parliament",
    authors: ["nikos-papadakis"],
    tags: ["european-parliament", "digital"],
    status: "published",
    publishedAt: "2020-10-20T16:30:00.000Z",
  },

  // --- Story: parliament-remote-voting (en, nl) ---
  {
    story: "parliament-remote-voting",
    language: "en",
    slug: "parliament-extends-remote-voting-as-infections-rise",
    title: "Parliament extends remote voting as infections rise",
    body: html(
      p(
        `The European Parliament will continue to hold its plenary sessions largely remotely for the rest of the year, after its political leaders agreed to extend the special arrangements introduced in the spring.`,
      ),
      p(
        `Members can vote electronically from their home countries, and since the autumn they can also take part in debates by video link from the Parliament's liaison offices in the member states.`,
      ),
      p(
        `The decision means that the monthly sessions will not return to Strasbourg for the time being, a move criticised by French officials, who point out that the Treaties make the city the Parliament's official seat.`,
      ),
      p(`Parliament's services said turnout in remote votes had remained high.`),
    ),
    section: "eu-parliament",
    authors: ["nikos-papadakis"],
    tags: ["european-parliament", "covid-19"],
    status: "published",
    publishedAt: "2020-10-29T10:00:00.000Z",
  },
  {
    story: "parliament-remote-voting",
    language: "nl",
    slug: "parlement-verlengt-stemmen-op-afstand-nu-besmettingen-toenemen",
    title: "Parlement verlengt stemmen op afstand nu besmettingen toenemen",
    body: html(
      p(
        `Het Europees Parlement blijft zijn plenaire vergaderingen de rest van het jaar grotendeels op afstand houden, nadat de fractieleiders hebben besloten de in het voorjaar ingevoerde uitzonderingsregeling te verlengen.`,
      ),
      p(
        `Leden kunnen elektronisch stemmen vanuit hun eigen land, en sinds dit najaar kunnen zij ook via een videoverbinding vanuit de verbindingsbureaus van het Parlement in de lidstaten aan debatten deelnemen.`,
      ),
      p(
        `Door het besluit keren de maandelijkse zittingen voorlopig niet terug naar Straatsburg. Dat leverde kritiek op van Franse functionarissen, die erop wijzen dat de stad volgens de Verdragen de officiële zetel van het Parlement is.`,
      ),
      p(`Volgens de diensten van het Parlement is de opkomst bij de stemmingen op afstand hoog gebleven.`),
    ),
    section: "eu-parliament",
    authors: ["nikos-papadakis"],
    tags: ["european-parliament", "covid-19"],
    status: "published",
    publishedAt: "2020-10-29T11:15:00.000Z",
  },

  // --- Story: eurozone-factories-october (en; own source) ---
  {
    story: "eurozone-factories-october",
    language: "en",
    slug: "eurozone-factories-keep-growing-as-services-slide-back",
    title: "Eurozone factories keep growing as services slide back",
    body: html(
      p(
        `Manufacturing activity in the euro area continued to expand in October, but a renewed contraction in the services sector pulled the overall economy back towards decline, a closely watched business survey showed on Friday.`,
      ),
      p(
        `Factories benefited from strong demand for goods, particularly in Germany's export-oriented industry, while restaurants, hotels and travel companies were hit by new restrictions to contain the coronavirus.`,
      ),
      p(
        `Economists said the gap between the two sectors was likely to widen in the coming weeks as more countries tighten their rules, raising the risk that the eurozone economy shrinks again in the fourth quarter.`,
      ),
      p(
        `The European Central Bank is widely expected to announce further support for the economy at its December meeting.`,
      ),
    ),
    section: "business",
    authors: ["james-whitfield"],
    tags: ["economy", "covid-19", "germany"],
    status: "published",
    publishedAt: "2020-10-23T09:40:00.000Z",
    source: { name: "Reuters", url: "https://www.reuters.com/" },
  },

  // --- Story: germany-november-shutdown (en, de) ---
  {
    story: "germany-november-shutdown",
    language: "en",
    slug: "germany-orders-partial-shutdown-for-november",
    title: "Germany orders partial shutdown for November",
    standfirst: "Restaurants, bars and cinemas will close for four weeks; schools and shops stay open.",
    body: html(
      p(
        `Chancellor Angela Merkel and the leaders of Germany's 16 federal states have agreed to close restaurants, bars, gyms, theatres and cinemas for four weeks from 2 November in an attempt to curb a steep rise in coronavirus infections.`,
      ),
      p(
        `Schools, nurseries and shops will remain open, and private gatherings will be limited to members of two households, with a maximum of ten people.`,
      ),
      AD,
      p(
        `Businesses forced to close will be compensated for up to 75% of their revenue from November last year, the federal government said.`,
      ),
      p(`Opposition parties criticised the fact that the measures had been agreed without a vote in the Bundestag.`),
    ),
    section: "politics",
    authors: ["thomas-keller"],
    tags: ["germany", "covid-19"],
    status: "published",
    publishedAt: "2020-10-28T18:30:00.000Z",
  },
  {
    story: "germany-november-shutdown",
    language: "de",
    slug: "deutschland-verordnet-teil-lockdown-im-november",
    title: "Deutschland verordnet Teil-Lockdown im November",
    standfirst: "Restaurants, Bars und Kinos schließen für vier Wochen, Schulen und Geschäfte bleiben geöffnet.",
    body: html(
      p(
        `Bundeskanzlerin Angela Merkel und die Regierungschefs der 16 Bundesländer haben sich darauf verständigt, Restaurants, Bars, Fitnessstudios, Theater und Kinos ab dem 2. November für vier Wochen zu schließen, um den starken Anstieg der Corona-Infektionen zu bremsen.`,
      ),
      p(
        `Schulen, Kitas und Geschäfte bleiben geöffnet. Private Treffen werden auf Angehörige von zwei Haushalten mit höchstens zehn Personen beschränkt.`,
      ),
      AD,
      p(
        `Betriebe, die schließen müssen, sollen nach Angaben der Bundesregierung bis zu 75 Prozent ihres Umsatzes aus dem Vorjahresmonat erstattet bekommen.`,
      ),
      p(`Oppositionsparteien kritisierten, dass die Maßnahmen ohne Abstimmung im Bundestag beschlossen wurden.`),
    ),
    section: "politics",
    authors: ["thomas-keller"],
    tags: ["germany", "covid-19"],
    status: "published",
    publishedAt: "2020-10-28T19:00:00.000Z",
  },

  // --- Story: karabakh-ceasefire (en) ---
  {
    story: "karabakh-ceasefire",
    language: "en",
    slug: "moscow-brokered-ceasefire-halts-fighting-in-nagorno-karabakh",
    title: "Moscow-brokered ceasefire halts fighting in Nagorno-Karabakh",
    standfirst: "Russian peacekeepers will deploy along the front line after six weeks of war.",
    body: html(
      p(
        `Armenia and Azerbaijan have agreed to end the fighting over Nagorno-Karabakh under a deal brokered by Russia, after six weeks of war that killed thousands of people.`,
      ),
      p(
        `Under the agreement, which took effect early on Tuesday, Russian peacekeepers will be deployed along the line of contact and along a corridor linking the region to Armenia.`,
      ),
      p(
        `The deal allows Azerbaijan to keep the territory it regained during the fighting and provides for the return of further districts around the region in the coming weeks. It was greeted with celebrations in Baku and angry protests in Yerevan.`,
      ),
      p(
        `For Moscow, the agreement rewards the cautious, even-handed approach it has taken since the fighting began on 27 September. The role of the <a href="https://www.osce.org/minsk-group">OSCE Minsk Group</a>, co-chaired by France, Russia and the United States, in the next phase remains unclear.`,
      ),
    ),
    section: "world",
    authors: ["alex-ivanov"],
    tags: ["russia", "armenia", "azerbaijan", "nagorno-karabakh", "diplomacy"],
    status: "published",
    publishedAt: "2020-11-10T07:15:00.000Z",
  },

  // --- Story: airlines-winter-aid (en, de; two authors) ---
  {
    story: "airlines-winter-aid",
    language: "en",
    slug: "airlines-ask-for-more-state-aid-as-winter-bookings-collapse",
    title: "Airlines ask for more state aid as winter bookings collapse",
    body: html(
      p(
        `Europe's airlines have asked governments for a further round of support, warning that a collapse in winter bookings caused by new travel restrictions threatens thousands of jobs.`,
      ),
      p(
        `Industry groups say passenger numbers this autumn have fallen back to a fraction of last year's levels as member states reintroduced quarantine rules and testing requirements that differ from country to country.`,
      ),
      p(
        `Carriers are calling for a common EU approach to testing that would allow travellers with a negative result to avoid quarantine, as well as an extension of relief from airport slot rules. One airline executive put it bluntly:`,
      ),
      "<blockquote><p>Every week without a coordinated testing regime costs the sector more than any aid package can replace.</p></blockquote>",
      p(
        `Several governments have already provided loans and guarantees worth billions of euros since the spring, under temporarily relaxed EU state aid rules.`,
      ),
    ),
    section: "business",
    authors: ["james-whitfield", "thomas-keller"],
    tags: ["aviation", "covid-19", "economy"],
    status: "published",
    publishedAt: "2020-11-12T06:45:00.000Z",
    heroImage: {
      url: "https://images.example.com/2020/11/grounded-aircraft.jpg",
      alt: "Rows of parked passenger aircraft on an airport apron",
      caption: "Many aircraft have been parked since the spring.",
      credit: "Example Photo Agency",
      width: 1600,
      height: 1067,
    },
  },
  {
    story: "airlines-winter-aid",
    language: "de",
    slug: "fluggesellschaften-bitten-erneut-um-staatliche-hilfe",
    title: "Fluggesellschaften bitten erneut um staatliche Hilfe",
    body: html(
      p(
        `Europas Fluggesellschaften haben die Regierungen um weitere Hilfen gebeten und gewarnt, dass der Einbruch der Winterbuchungen infolge neuer Reisebeschränkungen Tausende Arbeitsplätze gefährdet.`,
      ),
      p(
        `Nach Angaben von Branchenverbänden sind die Passagierzahlen in diesem Herbst auf einen Bruchteil des Vorjahresniveaus gefallen, nachdem die Mitgliedstaaten Quarantäneregeln und Testpflichten wieder eingeführt haben, die von Land zu Land unterschiedlich sind.`,
      ),
      p(
        `Die Fluggesellschaften fordern ein gemeinsames Vorgehen der EU bei Tests, das Reisenden mit negativem Ergebnis die Quarantäne ersparen würde, sowie eine Verlängerung der Erleichterungen bei den Regeln für Start- und Landerechte. Ein Airline-Manager brachte es auf den Punkt:`,
      ),
      "<blockquote><p>Jede Woche ohne ein abgestimmtes Testsystem kostet die Branche mehr, als jedes Hilfspaket ersetzen kann.</p></blockquote>",
      p(
        `Mehrere Regierungen haben seit dem Frühjahr bereits Kredite und Garantien in Milliardenhöhe gewährt, auf Grundlage vorübergehend gelockerter EU-Beihilferegeln.`,
      ),
    ),
    section: "business",
    authors: ["james-whitfield", "thomas-keller"],
    tags: ["aviation", "covid-19", "economy"],
    status: "published",
    publishedAt: "2020-11-12T08:00:00.000Z",
  },

  // --- Story: offshore-wind-strategy (en) ---
  {
    story: "offshore-wind-strategy",
    language: "en",
    slug: "eu-aims-to-multiply-offshore-wind-capacity-by-2050",
    title: "EU aims to multiply offshore wind capacity by 2050",
    standfirst:
      "A new Commission strategy foresees a 25-fold increase in offshore wind power, but fishing communities fear losing access to the sea.",
    body: html(
      p(
        `The European Commission has presented a strategy to increase Europe's offshore wind capacity from about 12 gigawatts today to at least 60 gigawatts by 2030 and 300 gigawatts by 2050.`,
      ),
      `<figure><img src="https://images.example.com/2020/11/north-sea-wind-farm.jpg" alt="Wind turbines at sea under an overcast sky"><figcaption>Most of Europe's offshore wind capacity is in the North Sea.</figcaption></figure>`,
      p(
        `The strategy also sets out plans for ocean energy, such as wave and tidal power, and calls for better coordination of maritime spatial planning between member states that share a sea basin.`,
      ),
      p(`The Commission estimates that investment of almost €800 billion will be needed by 2050.`),
      p(
        `Fishing organisations have warned that large wind farms could restrict access to traditional fishing grounds, and the Commission says it will work with coastal communities to reduce conflicts over the use of sea space.`,
      ),
    ),
    section: "environment",
    authors: ["maria-jansen"],
    tags: ["energy", "climate", "european-commission", "fisheries"],
    status: "published",
    publishedAt: "2020-11-19T13:00:00.000Z",
  },

  // --- Story: vaccine-solidarity-column (en; own disclaimer) ---
  {
    story: "vaccine-solidarity-column",
    language: "en",
    slug: "europe-must-share-vaccines-fairly-at-home-and-abroad",
    title: "Europe must share vaccines fairly, at home and abroad",
    standfirst:
      "The first vaccines are close. How the EU distributes them will test its solidarity as much as its science, argues Elena Moretti.",
    body: html(
      p(
        `After months of bad news, the announcements from vaccine developers in recent weeks have given Europeans real reason for hope. But a vaccine in a laboratory is not the same as a vaccine in an arm.`,
      ),
      p(
        `The EU was right to negotiate advance purchase agreements together rather than letting member states compete against each other. Smaller countries would otherwise have been left at the back of the queue.`,
      ),
      p(
        `<strong>The next test is distribution.</strong> Member states must agree on common criteria for who is vaccinated first, so that a nurse in Sofia is protected at the same time as a nurse in Stockholm.`,
      ),
      p(
        `Nor can Europe stop at its own borders. Supporting the <a href="https://www.who.int/initiatives/act-accelerator/covax">COVAX</a> facility is not charity: as long as the virus circulates anywhere, it remains a threat everywhere.`,
      ),
      p(
        `Solidarity was in short supply in the first weeks of the pandemic. The vaccine gives the Union a chance to show that it has learned the lesson.`,
      ),
    ),
    section: "opinion",
    authors: ["elena-moretti"],
    tags: ["covid-19", "health"],
    status: "published",
    publishedAt: "2020-11-25T06:00:00.000Z",
    disclaimer:
      "This is an opinion column. The views expressed are those of the author and do not necessarily reflect the position of Courant.",
  },

  // --- Story: brexit-final-stretch (en, fr; two authors) ---
  {
    story: "brexit-final-stretch",
    language: "en",
    slug: "brexit-trade-talks-enter-their-final-stretch",
    title: "Brexit trade talks enter their final stretch",
    standfirst:
      "Fisheries, fair competition and enforcement still divide the two sides, weeks before the transition period ends.",
    body: html(
      p(
        `Negotiators from the European Union and the United Kingdom resumed talks in Brussels on Monday in what both sides described as a last attempt to agree a trade deal before the transition period ends on 31 December.`,
      ),
      p(
        `Three issues remain unresolved: access for EU boats to British fishing waters, guarantees of fair competition known as the "level playing field", and the way any agreement would be enforced.`,
      ),
      "<h2>What is at stake</h2>",
      "<ul><li>Without a deal, trade between the EU and the UK would fall back on World Trade Organization rules, including tariffs on many goods.</li><li>Customs checks will be introduced from 1 January whatever the outcome.</li><li>Any agreement must still be approved by the member states and reviewed by the European Parliament.</li></ul>",
      p(
        `Diplomats in Paris said France would not accept an agreement at any price, particularly on fisheries, which matter greatly to coastal regions in the north of the country.`,
      ),
    ),
    section: "politics",
    authors: ["maria-jansen", "sophie-laurent"],
    tags: ["brexit", "trade", "fisheries"],
    status: "published",
    publishedAt: "2020-12-07T08:00:00.000Z",
  },
  {
    story: "brexit-final-stretch",
    language: "fr",
    slug: "les-negociations-commerciales-sur-le-brexit-entrent-dans-la-derniere-ligne-droite",
    title: "Les négociations commerciales sur le Brexit entrent dans la dernière ligne droite",
    body: html(
      p(
        `Les négociateurs de l'Union européenne et du Royaume-Uni ont repris lundi leurs discussions à Bruxelles, dans ce que les deux parties décrivent comme une dernière tentative de conclure un accord commercial avant la fin de la période de transition, le 31 décembre.`,
      ),
      p(
        `Trois questions restent en suspens : l'accès des bateaux européens aux eaux de pêche britanniques, les garanties de concurrence loyale, dites « level playing field », et les mécanismes de contrôle de l'application d'un éventuel accord.`,
      ),
      "<h2>Les enjeux</h2>",
      "<ul><li>Sans accord, les échanges entre l'UE et le Royaume-Uni relèveraient des règles de l'Organisation mondiale du commerce, avec des droits de douane sur de nombreux produits.</li><li>Des contrôles douaniers seront introduits dès le 1er janvier, quelle que soit l'issue.</li><li>Tout accord devra encore être approuvé par les États membres et examiné par le Parlement européen.</li></ul>",
      p(
        `À Paris, des diplomates ont indiqué que la France n'accepterait pas un accord à n'importe quel prix, en particulier sur la pêche, essentielle pour les régions côtières du nord du pays.`,
      ),
    ),
    section: "politics",
    authors: ["maria-jansen", "sophie-laurent"],
    tags: ["brexit", "trade", "fisheries"],
    status: "published",
    publishedAt: "2020-12-07T09:30:00.000Z",
  },

  // --- Story: digital-services-act-proposal (en, fr; two authors) ---
  {
    story: "digital-services-act-proposal",
    language: "en",
    slug: "commission-unveils-rules-to-rein-in-big-tech-platforms",
    title: "Commission unveils rules to rein in big tech platforms",
    standfirst:
      "The Digital Services Act and the Digital Markets Act would bring the biggest overhaul of the EU's online rules in twenty years.",
    body: html(
      p(
        `The European Commission has proposed two laws that would impose new obligations on large online platforms, in the most ambitious overhaul of the EU's digital rules in two decades.`,
      ),
      p(
        `The Digital Services Act would require platforms to remove illegal content swiftly, explain how their recommendation systems work and give researchers access to data. The Digital Markets Act would ban the largest "gatekeeper" platforms from favouring their own services over those of competitors.`,
      ),
      "<h3>Heavy fines</h3>",
      p(
        `Companies that break the rules could face fines of up to 6% of their global annual turnover under the Digital Services Act, and up to 10% under the Digital Markets Act.`,
      ),
      AD,
      p(
        `The proposals will now be debated by the European Parliament and the member states. Technology companies said they would study the texts carefully, while consumer groups welcomed what they called a long-overdue step.`,
      ),
    ),
    section: "eu-commission",
    authors: ["nikos-papadakis", "maria-jansen"],
    tags: ["digital", "european-commission", "european-parliament"],
    status: "published",
    publishedAt: "2020-12-15T16:00:00.000Z",
    heroImage: {
      url: "https://images.example.com/2020/12/digital-services-act.jpg",
      alt: "A smartphone showing social media app icons",
      caption: "The proposals target the largest online platforms.",
      credit: "Example Photo Agency",
      width: 1200,
      height: 800,
    },
  },
  {
    story: "digital-services-act-proposal",
    language: "fr",
    slug: "la-commission-presente-des-regles-pour-encadrer-les-grandes-plateformes",
    title: "La Commission présente des règles pour encadrer les grandes plateformes",
    body: html(
      p(
        `La Commission européenne a proposé deux textes qui imposeraient de nouvelles obligations aux grandes plateformes en ligne, la refonte la plus ambitieuse des règles numériques de l'UE depuis vingt ans.`,
      ),
      p(
        `La législation sur les services numériques (DSA) obligerait les plateformes à retirer rapidement les contenus illicites, à expliquer le fonctionnement de leurs systèmes de recommandation et à ouvrir leurs données aux chercheurs. La législation sur les marchés numériques (DMA) interdirait aux plus grandes plateformes, dites « contrôleurs d'accès », de favoriser leurs propres services au détriment de ceux de leurs concurrents.`,
      ),
      "<h3>De lourdes amendes</h3>",
      p(
        `Les entreprises qui enfreindraient ces règles s'exposeraient à des amendes pouvant atteindre 6 % de leur chiffre d'affaires mondial annuel au titre du DSA, et jusqu'à 10 % au titre du DMA.`,
      ),
      AD,
      p(
        `Les propositions vont maintenant être examinées par le Parlement européen et les États membres. Les entreprises technologiques ont indiqué qu'elles étudieraient attentivement les textes, tandis que les associations de consommateurs ont salué une étape attendue de longue date.`,
      ),
    ),
    section: "eu-commission",
    authors: ["nikos-papadakis", "maria-jansen"],
    tags: ["digital", "european-commission", "european-parliament"],
    status: "published",
    publishedAt: "2020-12-15T17:30:00.000Z",
  },

  // -------------------------------------------------------------------------
  // Non-public items: none of these may ever appear in public queries.
  // -------------------------------------------------------------------------
  {
    story: "fishing-quotas-memo",
    language: "en",
    slug: "draft-commission-memo-on-north-sea-fishing-quotas",
    title: "DRAFT: Commission memo on North Sea fishing quotas",
    standfirst: "DRAFT - not for publication.",
    body: html(
      p(
        `DRAFT - not for publication. An internal Commission memo sets out options for North Sea fishing quotas in the event that no agreement is reached with the United Kingdom.`,
      ),
      p(
        `The memo discusses temporary quota arrangements for the first months of next year and possible compensation for affected fleets.`,
      ),
      p(`[Awaiting confirmation from a second source before publication.]`),
    ),
    section: "eu-commission",
    authors: ["maria-jansen"],
    tags: ["fisheries", "brexit"],
    status: "draft",
  },
  {
    story: "portuguese-presidency-preview",
    language: "en",
    slug: "scheduled-what-to-expect-from-the-portuguese-council-presidency",
    title: "SCHEDULED: What to expect from the Portuguese Council presidency",
    standfirst: "SCHEDULED - embargoed until the publication date.",
    body: html(
      p(
        `SCHEDULED - embargoed. Portugal takes over the rotating presidency of the Council of the EU on 1 January, with the economic recovery from the pandemic at the top of its agenda.`,
      ),
      p(
        `Lisbon has said it wants to focus on the social dimension of the recovery and on relations with India and Africa.`,
      ),
      p(`The presidency will also oversee the start of the rollout of the EU's recovery fund.`),
    ),
    section: "politics",
    authors: ["sophie-laurent"],
    tags: ["economy", "diplomacy"],
    status: "scheduled",
    publishInDays: 7,
  },
  {
    story: "september-plenary-agenda",
    language: "en",
    slug: "archived-parliament-publishes-agenda-for-september-plenary",
    title: "ARCHIVED: Parliament publishes agenda for September plenary",
    body: html(
      p(
        `ARCHIVED - this item has been withdrawn from the public site. The European Parliament has published the draft agenda for its September plenary session.`,
      ),
      p(`The agenda includes the annual State of the Union debate and votes on the EU's response to the pandemic.`),
      p(`The session will again take place in Brussels rather than Strasbourg.`),
    ),
    section: "eu-parliament",
    authors: ["nikos-papadakis"],
    tags: ["european-parliament"],
    status: "archived",
    publishedAt: "2020-09-04T10:00:00.000Z",
  },
  {
    story: "retracted-border-report",
    language: "en",
    slug: "deleted-retracted-report-on-closure-of-internal-borders",
    title: "DELETED: Retracted report on closure of internal borders",
    body: html(
      p(
        `DELETED - this report was retracted and must not be visible. It claimed that several member states were preparing to close their internal Schengen borders.`,
      ),
      p(`The claim could not be confirmed and the article was withdrawn.`),
      p(`Readers should disregard this item.`),
    ),
    section: "world",
    authors: ["thomas-keller"],
    tags: ["covid-19"],
    status: "published",
    publishedAt: "2020-09-22T12:00:00.000Z",
    deleted: true,
  },
];
