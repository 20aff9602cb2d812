#!/usr/bin/env python3
"""Writes a synthetic feed of about SIZE megabytes: RSS 2.0 or Atom 1.0,
with realistic items (HTML descriptions with links, images, entities,
French text, categories, enclosures). Deterministic: the same arguments
give the same bytes."""
import random
import sys

WORDS = ("médiathèque manga bande dessinée roman lecture jeunesse musique "
         "cinéma concert atelier exposition rencontre auteur autrice "
         "nouveauté sélection coup de cœur prêt réservation catalogue "
         "festival numérique jeu vidéo société histoire sciences").split()


def para(rnd, n):
    words = [rnd.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def html_body(rnd, i):
    return (f"<p>{para(rnd, 30)} <a href=\"/articles/{i}\">{para(rnd, 4)}</a>"
            f" &amp; <em>{para(rnd, 6)}</em></p>"
            f"<p><img src=\"https://cdn.example.org/img/{i}.jpg\" alt=\"couverture\">"
            f"{para(rnd, 40)}</p><ul><li>{para(rnd, 5)}</li>"
            f"<li>{para(rnd, 5)}</li></ul><p>{para(rnd, 25)}</p>")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rss(out, rnd, size):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
              'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
              '<title>Bench</title><link>https://example.org/</link>\n'
              '<description>Synthetic feed</description>\n')
    i = 0
    while out.tell() < size:
        day = 1 + i % 28
        out.write(f"<item><title>{esc(para(rnd, 8))}</title>"
                  f"<link>https://example.org/articles/{i}</link>"
                  f"<guid>https://example.org/articles/{i}</guid>"
                  f"<pubDate>Tue, {day:02d} Nov 2026 09:{i % 60:02d}:00 +0100</pubDate>"
                  f"<dc:creator>Bibliothécaire {i % 7}</dc:creator>"
                  f"<category>{rnd.choice(WORDS)}</category>"
                  f"<description>{esc(html_body(rnd, i))}</description>"
                  f"<enclosure url=\"https://example.org/a/{i}.mp3\" "
                  f"type=\"audio/mpeg\" length=\"{1000 + i}\"/></item>\n")
        i += 1
    out.write("</channel>\n</rss>\n")


def atom(out, rnd, size):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<feed xmlns="http://www.w3.org/2005/Atom">\n'
              '<title>Bench</title><id>urn:bench</id>'
              '<updated>2026-11-24T09:00:00Z</updated>'
              '<link href="https://example.org/"/>\n')
    i = 0
    while out.tell() < size:
        day = 1 + i % 28
        out.write(f"<entry><title>{esc(para(rnd, 8))}</title>"
                  f"<id>urn:bench:{i}</id>"
                  f"<link href=\"https://example.org/articles/{i}\"/>"
                  f"<updated>2026-11-{day:02d}T09:{i % 60:02d}:00+01:00</updated>"
                  f"<author><name>Bibliothécaire {i % 7}</name></author>"
                  f"<category term=\"{rnd.choice(WORDS)}\"/>"
                  f"<content type=\"html\">{esc(html_body(rnd, i))}</content>"
                  f"</entry>\n")
        i += 1
    out.write("</feed>\n")


def main():
    kind, megabytes, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(42)
    with open(path, "w", encoding="utf-8") as out:
        (rss if kind == "rss" else atom)(out, rnd, megabytes * 1000 * 1000)


if __name__ == "__main__":
    main()
