/*
 * curator init [--language en|fr] [DIR]
 *
 * Creates a new site that `curator check` accepts at once: a commented
 * curator.yaml with one topic, one subscription to an example feed that
 * is shipped with it (so that it works offline), one tagged link, one
 * page and a .gitignore. Nothing that exists is overwritten.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/date.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

const char cmd_init_usage[] =
	"usage: curator init [--language en|fr] [DIR]\n"
	"\n"
	"Creates a new site in DIR (default: the current folder; created when\n"
	"missing): a commented curator.yaml with one example topic,\n"
	"feeds/sources.opml subscribed to an example feed kept in feeds/, an\n"
	"example tagged link in links/YYYY/MM/ dated today, a page\n"
	"pages/infos.md and a .gitignore. 'curator check' accepts it at once;\n"
	"edit the files, then replace the examples with your own.\n"
	"\n"
	"  --language en|fr  the language of the site and of the examples\n"
	"                    (default en)\n"
	"\n"
	"Refuses a folder that already has a curator.yaml, and never\n"
	"overwrites a file (a .gitignore only gets the lines it lacks).\n";

/* What differs between the English and the French site. */
struct init_texts {
	const char *config;
	const char *opml;
	const char *feed_title;
	const char *topic;
	const char *feed;
	const char *link_slug;
	const char *link_head;  /* the front matter before its date */
	const char *link_note;
	const char *page;
};

static const struct init_texts texts_en = {
	.config =
	"# curator.yaml: the site's configuration. Run 'curator check' after\n"
	"# each change: it names the line of any mistake.\n"
	"\n"
	"# The site's name, on every page and in its feeds.\n"
	"title: My Library\n"
	"# Where the site will be published, ending with /.\n"
	"url: https://library.example.org/\n"
	"# en or fr: the language of the site's texts and dates.\n"
	"language: en\n"
	"# Opening hours are in this time zone (for example Europe/London).\n"
	"timezone: UTC\n"
	"description: Our picks, our favourites and the news of the library.\n"
	"# Links and items on each page of a topic or tag.\n"
	"per_page: 20\n"
	"\n"
	"# Each topic has its page and its feeds. A link names its topics in\n"
	"# 'topics:'; a subscription in feeds/sources.opml in 'category'.\n"
	"topics:\n"
	"  - slug: reading            # in addresses: a-z, 0-9 and -\n"
	"    title: Reading\n"
	"    description: Books we loved and news about reading.\n"
	"    # true: items from the feeds appear without a librarian's pick.\n"
	"    auto: true\n"
	"    # Feed items whose title, summary or categories have one of\n"
	"    # these words join the topic (accents and case ignored)...\n"
	"    include: [book, novel, reading]\n"
	"    # ...unless they have one of these.\n"
	"    exclude: [contest]\n"
	"\n"
	"# Your catalogue's search by ISBN, for \"find it at the library\".\n"
	"# catalogue:\n"
	"#   isbn_url: \"https://catalogue.example.org/search?isbn={isbn}\"\n"
	"\n"
	"# Opening hours, for the practical information page.\n"
	"hours:\n"
	"  mon: closed\n"
	"  tue: \"10:00-12:30, 14:00-18:00\"\n"
	"  wed: \"10:00-18:00\"\n"
	"  thu: \"14:00-18:00\"\n"
	"  fri: \"14:00-19:00\"\n"
	"  sat: \"10:00-17:00\"\n"
	"  sun: closed\n"
	"  # closures: [\"2026-12-25\"]\n"
	"\n"
	"privacy:\n"
	"  # copy: images are downloaded when the site is built and served by\n"
	"  # it, so that visitors ask nothing of anyone else; link; or none.\n"
	"  images: copy\n",
	.opml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"2.0\"><head><title>Subscriptions</title>"
		"</head><body/></opml>\n",
	.feed_title = "Example feed (replace it with the feeds you follow)",
	.topic = "reading",
	.feed =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<rss version=\"2.0\">\n"
	"  <channel>\n"
	"    <title>Example feed</title>\n"
	"    <link>https://library.example.org/</link>\n"
	"    <description>A feed kept in the site's folder, so that the new\n"
	"    site has something to read offline.</description>\n"
	"    <item>\n"
	"      <title>Three novels to read by the fire this winter</title>\n"
	"      <link>https://library.example.org/example/winter-novels</link>\n"
	"      <guid>https://library.example.org/example/winter-novels</guid>\n"
	"      <pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate>\n"
	"      <category>reading</category>\n"
	"      <description>An example item: replace this feed in\n"
	"      feeds/sources.opml with the feeds you follow.</description>\n"
	"    </item>\n"
	"  </channel>\n"
	"</rss>\n",
	.link_slug = "welcome",
	.link_head = "url: https://en.wikipedia.org/wiki/Public_library\n"
		     "title: \"Welcome to your new site\"\n"
		     "topics: [reading]\n"
		     "tags: [example]\n"
		     "kind: article\n"
		     "by: curator\n",
	.link_note =
	"This is a tagged link: the lines between the `---` say what was\n"
	"tagged (its address, title, topics, tags and date), and this text is\n"
	"the librarian's note, written in\n"
	"[Markdown](https://commonmark.org/help/). Copy this file to tag\n"
	"another link, then delete it.\n",
	.page = "---\n"
		"title: Practical information\n"
		"menu: 1\n"
		"---\n"
		"Say here where the library is, how to get there and how to\n"
		"borrow. The opening hours come from `hours:` in\n"
		"curator.yaml.\n",
};

static const struct init_texts texts_fr = {
	.config =
	"# curator.yaml : la configuration du site. Lancez 'curator check'\n"
	"# après chaque modification : il indique la ligne de toute erreur.\n"
	"\n"
	"# Le nom du site, sur chaque page et dans ses flux.\n"
	"title: Ma médiathèque\n"
	"# L'adresse où le site sera publié, terminée par /.\n"
	"url: https://mediatheque.example.org/\n"
	"# fr ou en : la langue des textes et des dates du site.\n"
	"language: fr\n"
	"# Le fuseau horaire des horaires d'ouverture.\n"
	"timezone: Europe/Paris\n"
	"description: Nos sélections, nos coups de cœur, l'actualité de la "
	"médiathèque.\n"
	"# Liens et articles par page de thème ou de mot-clé.\n"
	"per_page: 20\n"
	"\n"
	"# Chaque thème a sa page et ses flux. Un lien nomme ses thèmes\n"
	"# dans 'topics:', un abonnement de feeds/sources.opml dans\n"
	"# 'category'.\n"
	"topics:\n"
	"  - slug: lecture            # dans les adresses : a-z, 0-9 et -\n"
	"    title: Lecture\n"
	"    description: Les livres que l'on aime et l'actualité du livre.\n"
	"    # true : les articles des flux s'affichent sans être choisis.\n"
	"    auto: true\n"
	"    # Les articles dont le titre, le résumé ou les catégories ont\n"
	"    # l'un de ces mots entrent dans le thème (accents et majuscules\n"
	"    # ignorés)...\n"
	"    include: [livre, roman, lecture]\n"
	"    # ...sauf s'ils ont l'un de ceux-ci.\n"
	"    exclude: [concours]\n"
	"\n"
	"# La recherche par ISBN de votre catalogue, pour « Trouver à la\n"
	"# médiathèque ».\n"
	"# catalogue:\n"
	"#   isbn_url: "
	"\"https://catalogue.example.org/recherche?isbn={isbn}\"\n"
	"\n"
	"# Les horaires d'ouverture, pour la page d'infos pratiques.\n"
	"hours:\n"
	"  mon: closed\n"
	"  tue: \"10:00-12:30, 14:00-18:00\"\n"
	"  wed: \"10:00-18:00\"\n"
	"  thu: \"14:00-18:00\"\n"
	"  fri: \"14:00-19:00\"\n"
	"  sat: \"10:00-17:00\"\n"
	"  sun: closed\n"
	"  # closures: [\"2026-12-25\"]\n"
	"\n"
	"privacy:\n"
	"  # copy : les images sont téléchargées à la construction du\n"
	"  # site et servies par lui, sans requête à un tiers ; link ;\n"
	"  # ou none.\n"
	"  images: copy\n",
	.opml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"2.0\"><head><title>Abonnements</title>"
		"</head><body/></opml>\n",
	.feed_title = "Flux d'exemple (à remplacer par vos abonnements)",
	.topic = "lecture",
	.feed =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<rss version=\"2.0\">\n"
	"  <channel>\n"
	"    <title>Flux d'exemple</title>\n"
	"    <link>https://mediatheque.example.org/</link>\n"
	"    <description>Un flux rangé dans le dossier du site, pour que le\n"
	"    nouveau site ait de quoi lire hors ligne.</description>\n"
	"    <language>fr</language>\n"
	"    <item>\n"
	"      <title>Trois romans à lire au coin du feu cet hiver</title>\n"
	"      <link>https://mediatheque.example.org/exemple/romans-hiver"
	"</link>\n"
	"      <guid>https://mediatheque.example.org/exemple/romans-hiver"
	"</guid>\n"
	"      <pubDate>Mon, 02 Nov 2026 09:00:00 +0100</pubDate>\n"
	"      <category>lecture</category>\n"
	"      <description>Un article d'exemple : remplacez ce flux dans\n"
	"      feeds/sources.opml par ceux que vous suivez.</description>\n"
	"    </item>\n"
	"  </channel>\n"
	"</rss>\n",
	.link_slug = "bienvenue",
	.link_head = "url: "
		     "https://fr.wikipedia.org/wiki/M%C3%A9diath%C3%A8que\n"
		     "title: \"Bienvenue sur votre nouveau site\"\n"
		     "topics: [lecture]\n"
		     "tags: [exemple]\n"
		     "kind: article\n"
		     "by: curator\n",
	.link_note =
	"Voici un lien signalé : les lignes entre les `---` disent ce qui\n"
	"est signalé (son adresse, son titre, ses thèmes, ses mots-clés et\n"
	"sa date), et ce texte est la note du bibliothécaire, écrite en\n"
	"[Markdown](https://commonmark.org/help/). Copiez ce fichier pour\n"
	"signaler un autre lien, puis supprimez-le.\n",
	.page = "---\n"
		"title: Infos pratiques\n"
		"menu: 1\n"
		"---\n"
		"Dites ici où se trouve la médiathèque, comment y venir et\n"
		"comment emprunter. Les horaires viennent de `hours:` dans\n"
		"curator.yaml.\n",
};

#define INIT_FEED "feeds/example.xml"
#define INIT_OPML "feeds/sources.opml"
#define INIT_PAGE "pages/infos.md"
#define INIT_GITIGNORE ".gitignore"

static const char *const gitignore_lines[] = { "output/", ".curator/" };

/*
 * NOTE: the only place curator init reads the clock (the example link's
 * date and folder). SOURCE_DATE_EPOCH, the reproducible-builds variable,
 * pins it (tests use it).
 */
static int64_t
init_now(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (s && *s) {
		errno = 0;
		t = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0' && t >= 0)
			return t;
	}
	return (int64_t)time(NULL);
}

struct init_file {
	char *rel;         /* site-relative */
	struct buf data;
};

struct init_site {
	const char *dir;
	struct init_file files[6];  /* see prepare() */
	size_t nfiles;
	bool has_gitignore;
};

static struct buf *
add_file(struct init_site *site, const char *rel)
{
	struct init_file *file = &site->files[site->nfiles++];

	file->rel = xstrdup(rel);
	buf_init(&file->data, 0);
	return &file->data;
}

/* The example link, dated now, in links/YYYY/MM/ of now in UTC. */
static int
add_link(struct init_site *site, const struct init_texts *texts)
{
	char date[DATE_RFC3339_SIZE];
	struct buf rel = BUF_INIT;
	struct buf *data;
	int64_t now = init_now();

	date_format_rfc3339(now, date);
	/* date is "YYYY-MM-DDT…": the folder is its first 7 bytes. */
	buf_addf(&rel, "links/%.4s/%.2s/%s.md", date, date + 5,
		 texts->link_slug);
	data = add_file(site, rel.ptr);
	buf_addf(data, "---\n%sdate: %s\n---\n%s", texts->link_head, date,
		 texts->link_note);
	buf_release(&rel);
	return 0;
}

static int
build_opml(struct report *rep, const struct init_texts *texts,
	   struct buf *out)
{
	const char *topics[1] = { texts->topic };
	struct opml *opml;
	int rc;

	opml = opml_parse(rep, INIT_OPML, texts->opml, strlen(texts->opml));
	if (!opml)
		return -1;
	opml_add(opml, INIT_FEED, NULL, texts->feed_title, topics, 1);
	rc = opml_serialize(rep, opml, out);
	opml_free(opml);
	return rc;
}

static char *
join(const char *dir, const char *rel)
{
	struct buf path = BUF_INIT;

	if (strcmp(dir, ".") != 0)
		buf_addf(&path, "%s/", dir);
	buf_adds(&path, rel);
	return buf_detach(&path, NULL);
}

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0' ||
		     (p[n] == '\r' && p[n + 1] == '\n')))
			return true;
		p += n;
	}
	return false;
}

/* A .gitignore that exists keeps its lines and gets the missing ones. */
static int
add_gitignore(struct report *rep, struct init_site *site)
{
	char *path = join(site->dir, INIT_GITIGNORE);
	struct buf *data = add_file(site, INIT_GITIGNORE);
	size_t i;
	int rc = 0;

	if (access(path, F_OK) == 0) {
		site->has_gitignore = true;
		rc = file_read(rep, path, 0, data);
		if (rc == 0 && data->len && data->ptr[data->len - 1] != '\n')
			buf_addc(data, '\n');
	}
	for (i = 0; rc == 0 && i < sizeof(gitignore_lines) /
					     sizeof(*gitignore_lines);
	     i++)
		if (!has_line(data->ptr, gitignore_lines[i]))
			buf_addf(data, "%s\n", gitignore_lines[i]);
	free(path);
	return rc;
}

/* Fills site with every file to write, in the order they are listed. */
static int
prepare(struct report *rep, struct init_site *site,
	const struct init_texts *texts)
{
	buf_adds(add_file(site, CONFIG_FILE), texts->config);
	if (build_opml(rep, texts, add_file(site, INIT_OPML)) != 0)
		return -1;
	buf_adds(add_file(site, INIT_FEED), texts->feed);
	add_link(site, texts);
	buf_adds(add_file(site, INIT_PAGE), texts->page);
	return add_gitignore(rep, site);
}

/* Nothing is written when any file is there already (but .gitignore). */
static int
check_free(struct report *rep, const struct init_site *site)
{
	struct report_pos pos = { NULL, 0, 0 };
	char *path;
	size_t i;
	int rc = 0;

	for (i = 0; i < site->nfiles; i++) {
		if (strcmp(site->files[i].rel, INIT_GITIGNORE) == 0)
			continue;
		path = join(site->dir, site->files[i].rel);
		if (access(path, F_OK) == 0) {
			pos.file = path;
			rc = report_error(rep, &pos, "already exists");
			report_hint(rep, "curator init never overwrites a "
					 "file: move it away, or choose "
					 "another folder");
		}
		free(path);
	}
	return rc;
}

static int
write_files(struct report *rep, const struct init_site *site)
{
	char *path, *slash;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < site->nfiles; i++) {
		path = join(site->dir, site->files[i].rel);
		slash = strrchr(path, '/');
		if (slash && slash != path) {
			*slash = '\0';
			rc = file_mkdirs(rep, path);
			*slash = '/';
		}
		if (rc == 0 &&
		    file_write_atomic(rep, path, site->files[i].data.ptr,
				      site->files[i].data.len,
				      true) == FILE_WRITE_FAILED)
			rc = -1;
		free(path);
	}
	return rc;
}

static void
print_done(const struct init_site *site, const char *shown_dir)
{
	size_t i;

	printf("created a curator site in %s:\n", shown_dir);
	for (i = 0; i < site->nfiles; i++)
		printf("  %s%s\n", site->files[i].rel,
		       strcmp(site->files[i].rel, INIT_GITIGNORE) == 0 &&
				       site->has_gitignore
			       ? " (lines added)"
			       : "");
	if (strcmp(site->dir, ".") == 0)
		printf("next: edit curator.yaml, then run 'curator check'\n");
	else
		printf("next: edit %s/curator.yaml, then run "
		       "'curator -C %s check'\n",
		       site->dir, site->dir);
}

int
cmd_init(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "language", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const struct init_texts *texts = &texts_en;
	struct init_site site = { 0 };
	struct report_pos pos = { NULL, 0, 0 };
	char *dir = NULL, *config_path = NULL;
	size_t i;
	int c, rc = EXIT_FAILURE_;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'l' && strcmp(optarg, "en") == 0)
			texts = &texts_en;
		else if (c == 'l' && strcmp(optarg, "fr") == 0)
			texts = &texts_fr;
		else if (c == 'l')
			return cmd_usage_error(ctx, "init",
					       "--language must be en or fr: "
					       "'%s'",
					       optarg);
		else
			return cmd_usage_error(ctx, "init",
					       "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (argc - optind > 1)
		return cmd_usage_error(ctx, "init", "too many arguments: '%s'",
				       argv[optind + 1]);
	/* DIR is taken under -C DIR, as git does with its paths. */
	if (optind == argc)
		dir = xstrdup(ctx->dir);
	else if (argv[optind][0] == '/' || strcmp(ctx->dir, ".") == 0)
		dir = xstrdup(argv[optind]);
	else
		dir = join(ctx->dir, argv[optind]);
	site.dir = dir;
	config_path = join(dir, CONFIG_FILE);
	if (access(config_path, F_OK) == 0) {
		pos.file = dir;
		report_error(ctx->rep, &pos,
			     "already a curator site (%s exists)", CONFIG_FILE);
		report_hint(ctx->rep, "edit %s, or give another folder",
			    config_path);
		goto out;
	}
	if (prepare(ctx->rep, &site, texts) != 0 ||
	    check_free(ctx->rep, &site) != 0 ||
	    file_mkdirs(ctx->rep, dir) != 0 ||
	    write_files(ctx->rep, &site) != 0)
		goto out;
	print_done(&site, dir);
	rc = EXIT_OK;
out:
	for (i = 0; i < site.nfiles; i++) {
		free(site.files[i].rel);
		buf_release(&site.files[i].data);
	}
	free(config_path);
	free(dir);
	return rc;
}
