#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fills a Qt .ts file with a pseudo-translation: every string becomes
itself between the markers U+27E6 and U+27E7, so a test can find any text
on screen that did not go through tr().

    pseudo_translate.py IN.ts OUT.ts
"""
import sys
import xml.etree.ElementTree as ET

OPEN, CLOSE = "\u27e6", "\u27e7"


def main(src, dst):
    tree = ET.parse(src)
    root = tree.getroot()
    root.set("language", "de")  # two plural forms, as German has
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        for child in list(translation):
            translation.remove(child)
        text = OPEN + source + CLOSE
        if message.get("numerus") == "yes":
            translation.text = None
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = text
        else:
            translation.text = text
    tree.write(dst, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
