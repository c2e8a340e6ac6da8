/**
 * Static catalogues for the synthetic "Mint Vinyl" record shop: people's names, e-mail domains,
 * the product catalogue and campaign themes. Everything is plain data.
 */

/** F = usually female, M = usually male, U = unisex (predicted gender "uncertain"). */
export type NameGender = 'F' | 'M' | 'U';

export interface FirstName {
  readonly name: string;
  readonly gender: NameGender;
}

function names(gender: NameGender, list: string): FirstName[] {
  return list.split(' ').map((name) => ({ name, gender }));
}

export const FIRST_NAMES_EN: readonly FirstName[] = [
  ...names(
    'F',
    'Emma Olivia Ava Sophia Isabella Mia Charlotte Amelia Harper Evelyn Abigail Emily Ella Elizabeth Sofia Madison Avery Scarlett Grace Chloe Victoria Lily Hannah Zoe Nora Sarah Jessica Ashley Megan Rachel Lauren Nicole Stephanie Jennifer Michelle Kimberly Amanda Melissa Heather Brittany Danielle Laura Maria Rebecca Katie Natalie Allison Samantha Andrea Kayla',
  ),
  ...names(
    'M',
    'Liam Noah Oliver Elijah James William Benjamin Lucas Henry Alexander Mason Michael Ethan Daniel Jacob Logan Jackson Levi Sebastian Mateo Jack Owen Theodore Aiden Samuel Joseph John David Wyatt Matthew Luke Asher Carter Julian Grayson Leo Jayden Gabriel Isaac Lincoln Anthony Hudson Dylan Ezra Thomas Charles Christopher Jaxon Andrew Joshua Ryan Nathan Kevin Brian Eric Jason Tyler Marcus Derek',
  ),
  ...names('U', 'Alex Jordan Taylor Morgan Casey Riley Jamie Quinn Avery Rowan Sam Robin Charlie Skyler Drew'),
];

export const FIRST_NAMES_DE: readonly FirstName[] = [
  ...names('F', 'Anna Lena Lea Hannah Julia Laura Sophie Katharina Johanna Marie Lisa Sarah Mia Clara'),
  ...names('M', 'Lukas Leon Jonas Felix Maximilian Paul Tim Jan Niklas Finn Moritz Tobias Florian Stefan'),
];
export const FIRST_NAMES_FR: readonly FirstName[] = [
  ...names('F', 'Camille Léa Chloé Manon Inès Jade Louise Emma Sarah Juliette Margaux Élodie'),
  ...names('M', 'Lucas Hugo Louis Gabriel Arthur Jules Nathan Théo Mathis Antoine Julien Maxime'),
  ...names('U', 'Dominique Claude'),
];
export const FIRST_NAMES_NL: readonly FirstName[] = [
  ...names('F', 'Sanne Fleur Lotte Anouk Eva Iris Sophie Emma Julia Lieke'),
  ...names('M', 'Daan Bram Sem Lars Jesse Thijs Ruben Stijn Milan Joost'),
];
export const FIRST_NAMES_ES: readonly FirstName[] = [
  ...names('F', 'Lucía Sofía Martina María Paula Julia Carmen Elena Alba Marta'),
  ...names('M', 'Hugo Martín Pablo Alejandro Daniel Javier Diego Sergio Carlos Adrián'),
];
export const FIRST_NAMES_IT: readonly FirstName[] = [
  ...names('F', 'Giulia Sofia Aurora Alice Chiara Francesca Martina Sara Elisa Valentina'),
  ...names('M', 'Leonardo Francesco Alessandro Lorenzo Matteo Andrea Marco Luca Giuseppe Davide'),
];
export const FIRST_NAMES_NORDIC: readonly FirstName[] = [
  ...names('F', 'Freja Ida Alma Ella Maja Astrid Ingrid Karin Elin'),
  ...names('M', 'Oscar William Lucas Emil Anders Erik Magnus Nils Henrik'),
];

export const LAST_NAMES_EN: readonly string[] =
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher Vasquez Simmons Graham Marshall Owens Harrison Mason Kennedy Wells Chen Wang Okafor Kowalski OBrien Novak'.split(
    ' ',
  );
export const LAST_NAMES_DE: readonly string[] =
  'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Braun Zimmermann'.split(' ');
export const LAST_NAMES_FR: readonly string[] =
  'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garnier Faure Rousseau'.split(' ');
export const LAST_NAMES_NL: readonly string[] = 'de Jong Jansen de Vries van den Berg van Dijk Bakker Visser Smit Meijer de Boer Mulder Bos Vos Peters'
  .split(' ')
  .filter((s) => s.length > 2);
export const LAST_NAMES_ES: readonly string[] =
  'García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno'.split(' ');
export const LAST_NAMES_IT: readonly string[] = 'Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa'.split(' ');
export const LAST_NAMES_IE_UK: readonly string[] =
  'Murphy Kelly Byrne Ryan OConnor Walsh Doyle McCarthy Gallagher Smith Jones Taylor Brown Evans Wilson Thompson Roberts Wright Hughes Edwards Green Hall Wood Harris Clarke Patel Khan Lewis'.split(
    ' ',
  );
export const LAST_NAMES_NORDIC: readonly string[] =
  'Andersson Johansson Karlsson Nilsson Eriksson Larsson Hansen Nielsen Jensen Pedersen Olsen Lindqvist'.split(' ');

/** Free webmail domains with weights, by market. Capitalised variants are added elsewhere. */
export const EMAIL_DOMAINS_US: readonly (readonly [string, number])[] = [
  ['gmail.com', 40],
  ['yahoo.com', 11],
  ['hotmail.com', 8],
  ['outlook.com', 7],
  ['icloud.com', 9],
  ['aol.com', 3],
  ['me.com', 1.5],
  ['live.com', 1.5],
  ['proton.me', 1.5],
  ['comcast.net', 1.5],
  ['msn.com', 1],
];
export const EMAIL_DOMAINS_UK: readonly (readonly [string, number])[] = [
  ['gmail.com', 35],
  ['hotmail.co.uk', 12],
  ['yahoo.co.uk', 8],
  ['outlook.com', 8],
  ['icloud.com', 8],
  ['btinternet.com', 5],
  ['hotmail.com', 4],
  ['sky.com', 2],
];
export const EMAIL_DOMAINS_BY_COUNTRY: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  DE: [
    ['gmail.com', 25],
    ['gmx.de', 20],
    ['web.de', 18],
    ['t-online.de', 8],
    ['outlook.de', 5],
    ['icloud.com', 5],
    ['hotmail.com', 3],
  ],
  FR: [
    ['gmail.com', 35],
    ['orange.fr', 12],
    ['free.fr', 10],
    ['hotmail.fr', 10],
    ['laposte.net', 5],
    ['yahoo.fr', 5],
    ['hotmail.com', 3],
  ],
  NL: [
    ['gmail.com', 40],
    ['ziggo.nl', 10],
    ['hotmail.com', 10],
    ['outlook.com', 8],
    ['kpnmail.nl', 6],
    ['live.nl', 5],
  ],
  IE: [
    ['gmail.com', 45],
    ['eircom.net', 8],
    ['hotmail.com', 12],
    ['outlook.com', 8],
    ['yahoo.ie', 4],
    ['icloud.com', 6],
  ],
  ES: [
    ['gmail.com', 45],
    ['hotmail.es', 15],
    ['yahoo.es', 6],
    ['outlook.es', 6],
    ['hotmail.com', 6],
    ['telefonica.net', 3],
  ],
  IT: [
    ['gmail.com', 40],
    ['libero.it', 15],
    ['hotmail.it', 10],
    ['virgilio.it', 6],
    ['yahoo.it', 5],
    ['hotmail.com', 4],
  ],
  SE: [
    ['gmail.com', 45],
    ['hotmail.com', 10],
    ['telia.com', 6],
    ['outlook.com', 8],
    ['icloud.com', 6],
  ],
  DK: [
    ['gmail.com', 45],
    ['hotmail.com', 10],
    ['outlook.dk', 6],
    ['live.dk', 5],
    ['icloud.com', 6],
  ],
  BE: [
    ['gmail.com', 40],
    ['skynet.be', 8],
    ['hotmail.com', 12],
    ['telenet.be', 8],
    ['outlook.com', 6],
  ],
  AT: [
    ['gmail.com', 35],
    ['gmx.at', 15],
    ['aon.at', 6],
    ['hotmail.com', 6],
    ['icloud.com', 5],
  ],
  PL: [
    ['gmail.com', 40],
    ['wp.pl', 15],
    ['onet.pl', 10],
    ['o2.pl', 8],
    ['interia.pl', 6],
  ],
  PT: [
    ['gmail.com', 50],
    ['sapo.pt', 10],
    ['hotmail.com', 12],
    ['outlook.pt', 5],
  ],
};

/** Company domains: people who signed up with a work address (corporate mail scanners click links). */
export const COMPANY_DOMAINS: readonly (readonly [string, string])[] = [
  ['acmelogistics.com', 'Acme Logistics'],
  ['brightpath.io', 'BrightPath'],
  ['northwind.co', 'Northwind Traders'],
  ['bluefinanalytics.com', 'Bluefin Analytics'],
  ['harborhealth.org', 'Harbor Health'],
  ['quillandink.com', 'Quill & Ink'],
  ['stonebridge-law.com', 'Stonebridge Law'],
  ['vertexlabs.com', 'Vertex Labs'],
  ['cobaltmedia.net', 'Cobalt Media'],
  ['greenleafmarkets.com', 'Greenleaf Markets'],
  ['umbra.design', 'Umbra Design'],
  ['fieldnotes.studio', 'Fieldnotes Studio'],
  ['mit.edu', 'MIT'],
  ['osu.edu', 'The Ohio State University'],
  ['bu.edu', 'Boston University'],
  ['kiwi-systems.de', 'Kiwi Systems GmbH'],
];

/** Misspelled domains that end up as INVALID_EMAIL suppressions. */
export const TYPO_DOMAINS: readonly string[] = ['gmial.com', 'gmail.con', 'hotmial.com', 'yaho.com', 'outlok.com', 'icloud.co'];

export const GENRES: readonly string[] = ['Rock', 'Jazz', 'Hip-Hop', 'Soul', 'Electronic', 'Indie', 'Classical', 'Metal', 'Folk', 'Reggae', 'Blues', 'Pop'];
export const GENRE_WEIGHTS: readonly number[] = [22, 14, 11, 9, 9, 10, 4, 5, 5, 3, 3, 5];

export type ProductKind = 'record' | 'box-set' | 'turntable' | 'accessory' | 'merch' | 'gift-card';

export interface Product {
  readonly id: string;
  readonly name: string;
  /** Absent for hardware and merch. */
  readonly artist?: string;
  readonly genre?: string;
  readonly kind: ProductKind;
  readonly price: number;
  readonly categories: readonly string[];
  readonly handle: string;
}

// [artist, title, genre, price]
const RECORDS: readonly (readonly [string, string, string, number])[] = [
  ['Miles Davis', 'Kind of Blue', 'Jazz', 27.99],
  ['John Coltrane', 'A Love Supreme', 'Jazz', 29.99],
  ['Dave Brubeck Quartet', 'Time Out', 'Jazz', 24.99],
  ['Herbie Hancock', 'Head Hunters', 'Jazz', 26.99],
  ['Thelonious Monk', 'Brilliant Corners', 'Jazz', 32.99],
  ['Charles Mingus', 'Mingus Ah Um', 'Jazz', 25.99],
  ['Kamasi Washington', 'The Epic', 'Jazz', 54.99],
  ['Nina Simone', 'Pastel Blues', 'Jazz', 24.99],
  ['Art Blakey', "Moanin'", 'Jazz', 34.99],
  ['Fleetwood Mac', 'Rumours', 'Rock', 29.99],
  ['Pink Floyd', 'The Dark Side of the Moon', 'Rock', 34.99],
  ['Led Zeppelin', 'Led Zeppelin IV', 'Rock', 31.99],
  ['The Beatles', 'Abbey Road', 'Rock', 32.99],
  ['Nirvana', 'Nevermind', 'Rock', 26.99],
  ['Radiohead', 'OK Computer', 'Rock', 39.99],
  ['The Rolling Stones', 'Sticky Fingers', 'Rock', 28.99],
  ['Bruce Springsteen', 'Born to Run', 'Rock', 25.99],
  ['David Bowie', 'The Rise and Fall of Ziggy Stardust', 'Rock', 27.99],
  ['The Clash', 'London Calling', 'Rock', 33.99],
  ['Tame Impala', 'Currents', 'Rock', 36.99],
  ['Queens of the Stone Age', 'Songs for the Deaf', 'Rock', 29.99],
  ['Kendrick Lamar', 'To Pimp a Butterfly', 'Hip-Hop', 39.99],
  ['A Tribe Called Quest', 'The Low End Theory', 'Hip-Hop', 31.99],
  ['Nas', 'Illmatic', 'Hip-Hop', 28.99],
  ['Lauryn Hill', 'The Miseducation of Lauryn Hill', 'Hip-Hop', 34.99],
  ['MF DOOM', 'Mm..Food', 'Hip-Hop', 32.99],
  ['OutKast', 'Aquemini', 'Hip-Hop', 36.99],
  ['Wu-Tang Clan', 'Enter the Wu-Tang (36 Chambers)', 'Hip-Hop', 29.99],
  ['Tyler, the Creator', 'IGOR', 'Hip-Hop', 33.99],
  ['Marvin Gaye', "What's Going On", 'Soul', 26.99],
  ['Aretha Franklin', 'Lady Soul', 'Soul', 24.99],
  ['Al Green', "Let's Stay Together", 'Soul', 23.99],
  ['Stevie Wonder', 'Songs in the Key of Life', 'Soul', 44.99],
  ['Curtis Mayfield', 'Curtis', 'Soul', 27.99],
  ['Erykah Badu', 'Baduizm', 'Soul', 31.99],
  ['Daft Punk', 'Random Access Memories', 'Electronic', 41.99],
  ['Aphex Twin', 'Selected Ambient Works 85-92', 'Electronic', 32.99],
  ['Massive Attack', 'Mezzanine', 'Electronic', 34.99],
  ['Boards of Canada', 'Music Has the Right to Children', 'Electronic', 33.99],
  ['Kraftwerk', 'Trans-Europa Express', 'Electronic', 27.99],
  ['Burial', 'Untrue', 'Electronic', 30.99],
  ['Arcade Fire', 'Funeral', 'Indie', 27.99],
  ['Bon Iver', 'For Emma, Forever Ago', 'Indie', 24.99],
  ['Phoebe Bridgers', 'Punisher', 'Indie', 26.99],
  ['The National', 'Boxer', 'Indie', 29.99],
  ['Vampire Weekend', 'Modern Vampires of the City', 'Indie', 28.99],
  ['Big Thief', 'Dragon New Warm Mountain I Believe in You', 'Indie', 42.99],
  ['Mitski', 'Be the Cowboy', 'Indie', 25.99],
  ['Beach House', 'Bloom', 'Indie', 27.99],
  ['Glenn Gould', 'Bach: The Goldberg Variations', 'Classical', 29.99],
  ['Max Richter', 'Recomposed: Vivaldi - The Four Seasons', 'Classical', 31.99],
  ['Yo-Yo Ma', 'Bach: Cello Suites', 'Classical', 39.99],
  ['Metallica', 'Master of Puppets', 'Metal', 34.99],
  ['Black Sabbath', 'Paranoid', 'Metal', 27.99],
  ['Mastodon', 'Leviathan', 'Metal', 28.99],
  ['Iron Maiden', 'The Number of the Beast', 'Metal', 29.99],
  ['Joni Mitchell', 'Blue', 'Folk', 26.99],
  ['Bob Dylan', 'Blood on the Tracks', 'Folk', 25.99],
  ['Nick Drake', 'Pink Moon', 'Folk', 24.99],
  ['Fleet Foxes', 'Helplessness Blues', 'Folk', 27.99],
  ['Bob Marley & The Wailers', 'Exodus', 'Reggae', 26.99],
  ['Toots & The Maytals', 'Funky Kingston', 'Reggae', 24.99],
  ['Burning Spear', 'Marcus Garvey', 'Reggae', 25.99],
  ['B.B. King', 'Live at the Regal', 'Blues', 24.99],
  ['Muddy Waters', 'Folk Singer', 'Blues', 29.99],
  ['Gary Clark Jr.', 'Blak and Blu', 'Blues', 27.99],
  ['Taylor Swift', 'Folklore', 'Pop', 34.99],
  ['Fleetwood Mac', 'Tusk', 'Rock', 36.99],
  ['Harry Styles', "Harry's House", 'Pop', 31.99],
  ['Lorde', 'Melodrama', 'Pop', 28.99],
  ['Billie Eilish', 'Happier Than Ever', 'Pop', 32.99],
  ['Prince', 'Purple Rain', 'Pop', 27.99],
  ['Björk', 'Homogenic', 'Electronic', 30.99],
];

// [artist, title, genre, price]
const BOX_SETS: readonly (readonly [string, string, string, number])[] = [
  ['The Beatles', 'The Beatles in Mono (14 LP box)', 'Rock', 349.99],
  ['Miles Davis', 'The Complete Columbia Studio Albums (box)', 'Jazz', 219.99],
  ['Pink Floyd', 'The Later Years 1987-2019 (box)', 'Rock', 149.99],
  ['Blue Note', 'Blue Note Classic Vinyl Series (5 LP box)', 'Jazz', 129.99],
  ['Radiohead', 'Kid A Mnesia (3 LP)', 'Rock', 64.99],
  ['Prince', "Sign o' the Times Super Deluxe", 'Pop', 189.99],
];

// [name, kind, price, categories]
const GEAR: readonly (readonly [string, ProductKind, number, readonly string[]])[] = [
  ['Audio-Technica AT-LP120XUSB Turntable', 'turntable', 349.0, ['Turntables', 'Audio Gear']],
  ['Pro-Ject Debut Carbon EVO Turntable', 'turntable', 599.0, ['Turntables', 'Audio Gear']],
  ['Rega Planar 1 Turntable', 'turntable', 549.0, ['Turntables', 'Audio Gear']],
  ['Fluance RT85 Reference Turntable', 'turntable', 499.99, ['Turntables', 'Audio Gear']],
  ['Ortofon 2M Red Cartridge', 'accessory', 109.0, ['Accessories', 'Audio Gear']],
  ['Record Cleaning Kit', 'accessory', 24.99, ['Accessories', 'Care']],
  ['Anti-Static Inner Sleeves (50 pack)', 'accessory', 14.99, ['Accessories', 'Care']],
  ['Cork Slipmat', 'accessory', 19.99, ['Accessories']],
  ['Mint Vinyl Tote Bag', 'merch', 18.0, ['Merch']],
  ['Mint Vinyl Logo T-Shirt', 'merch', 28.0, ['Merch', 'Apparel']],
  ['Mint Vinyl Crate (holds 80 LPs)', 'merch', 44.0, ['Merch', 'Storage']],
  ['Mint Vinyl Gift Card', 'gift-card', 50.0, ['Gift Cards']],
];

function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function buildProducts(): Product[] {
  const out: Product[] = [];
  let n = 0;
  const nextId = (): string => String(7_104_551_200_000 + 7919 * ++n);
  for (const [artist, title, genre, price] of RECORDS) {
    const categories = ['Vinyl', genre];
    if (n % 7 === 3) categories.push('Staff Picks');
    if (n % 11 === 5) categories.push('Reissues');
    out.push({ id: nextId(), name: `${artist} - ${title} (LP)`, artist, genre, kind: 'record', price, categories, handle: slug(`${artist} ${title}`) });
  }
  for (const [artist, title, genre, price] of BOX_SETS) {
    out.push({
      id: nextId(),
      name: `${artist} - ${title}`,
      artist,
      genre,
      kind: 'box-set',
      price,
      categories: ['Vinyl', genre, 'Box Sets'],
      handle: slug(`${artist} ${title}`),
    });
  }
  for (const [name, kind, price, categories] of GEAR) {
    out.push({ id: nextId(), name, kind, price, categories, handle: slug(name) });
  }
  return out;
}

export const PRODUCTS: readonly Product[] = buildProducts();
export const RECORDS_BY_GENRE: ReadonlyMap<string, readonly Product[]> = (() => {
  const m = new Map<string, Product[]>();
  for (const p of PRODUCTS) {
    if (p.kind !== 'record' || !p.genre) continue;
    let list = m.get(p.genre);
    if (!list) m.set(p.genre, (list = []));
    list.push(p);
  }
  return m;
})();
export const ALL_RECORDS: readonly Product[] = PRODUCTS.filter((p) => p.kind === 'record');
export const BOX_SET_PRODUCTS: readonly Product[] = PRODUCTS.filter((p) => p.kind === 'box-set');
export const TURNTABLES: readonly Product[] = PRODUCTS.filter((p) => p.kind === 'turntable');
export const ACCESSORIES_AND_MERCH: readonly Product[] = PRODUCTS.filter((p) => p.kind === 'accessory' || p.kind === 'merch' || p.kind === 'gift-card');

export const SITE_PAGES: readonly string[] = [
  'https://mintvinyl.com/',
  'https://mintvinyl.com/collections/new-arrivals',
  'https://mintvinyl.com/collections/jazz',
  'https://mintvinyl.com/collections/rock',
  'https://mintvinyl.com/collections/hip-hop',
  'https://mintvinyl.com/collections/staff-picks',
  'https://mintvinyl.com/collections/turntables',
  'https://mintvinyl.com/pages/record-store-day',
  'https://mintvinyl.com/pages/stores',
  'https://mintvinyl.com/collections/box-sets',
  'https://mintvinyl.com/search',
  'https://mintvinyl.com/account',
];

/** Weekly newsletter themes: [campaign name stem, subject]. */
export const CAMPAIGN_THEMES: readonly (readonly [string, string])[] = [
  ['New Arrivals', 'Fresh wax just landed 🎶'],
  ['Staff Picks', "What we're spinning this week"],
  ['Restock Alert', 'Back in stock: the records you asked for'],
  ['Jazz Corner', 'Blue notes for a grey week'],
  ['Hip-Hop Classics', 'Golden-era reissues are here'],
  ['Audiophile Pressings', '180g pressings worth the wait'],
  ['Turntable Tips', 'Get the most out of your setup'],
  ['Indie Spotlight', 'Small labels, big records'],
  ['Weekend Sale', '15% off the whole crate this weekend'],
  ['Pre-Order Window', "Pre-orders open for next month's releases"],
  ['Soul Sunday', 'Sweet soul music for your Sunday'],
  ['Used Bin Finds', 'Hand-graded used vinyl, just added'],
];

export const DISCOUNT_CODES: readonly string[] = ['WELCOME10', 'SPIN15', 'CRATEDIGGER', 'FREESHIP', 'VIP15', 'STUDENT10'];
export const FAVORITE_FORMATS: readonly (readonly [string, number])[] = [
  ['Vinyl', 78],
  ['CD', 14],
  ['Cassette', 8],
];
export const TAGS: readonly string[] = ['vip', 'wholesale', 'record-store-day', 'discogs-seller', 'audiophile', 'gift-buyer', 'local-pickup', 'beta'];
export const REFUND_REASONS: readonly string[] = ['Warped record', 'Damaged in transit', 'Wrong item shipped', 'Changed mind', 'Skipping on side B'];
export const CARRIERS_US: readonly string[] = ['USPS', 'UPS', 'FedEx'];
export const CARRIERS_INTL: readonly string[] = ['DHL', 'USPS International', 'UPS'];

export const STREET_NAMES_US: readonly string[] = [
  'Main St',
  'Oak Ave',
  'Maple St',
  'Cedar Ln',
  'Park Ave',
  'Elm St',
  'Washington St',
  'Lake Dr',
  'Hill Rd',
  'Pine St',
  'Walnut St',
  'High St',
  'Broadway',
  'Church St',
  'River Rd',
  'Sunset Blvd',
  'Massachusetts Ave',
  'N High St',
  'Summit Ave',
  'Spring St',
];
