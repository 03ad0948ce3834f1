//! An organisation's logo, made safe to show on every page: a PNG keeps only the chunks that draw
//! it (no text, no metadata), an SVG only the elements and attributes that draw shapes (no
//! scripts, no styles that load anything, no links out of the file). Both are read with bounded
//! memory and time: a file over [`MAX_LOGO_BYTES`] is refused before it is read.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The biggest logo accepted.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The widest or tallest PNG accepted, in pixels.
const MAX_PNG_SIDE: u32 = 4096;

/// How deep an SVG's elements may nest, and how many it may have.
const MAX_SVG_DEPTH: usize = 64;
const MAX_SVG_ELEMENTS: usize = 20_000;

code_list!(
    /// What kind of image a logo is.
    LogoKind {
        /// A PNG picture.
        Png = "png", "PNG";
        /// An SVG drawing.
        Svg = "svg", "SVG";
    }
);

impl LogoKind {
    /// Its media type, as served.
    pub fn media_type(self) -> &'static str {
        match self {
            LogoKind::Png => "image/png",
            LogoKind::Svg => "image/svg+xml",
        }
    }
}

/// A logo, checked and cleaned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    /// PNG or SVG.
    pub kind: LogoKind,
    /// The cleaned file.
    pub bytes: Vec<u8>,
}

/// Reads an uploaded logo: a PNG or an SVG, cleaned; or why it cannot be used.
pub fn sanitise_logo(file: &[u8]) -> Result<Logo, &'static str> {
    if file.len() > MAX_LOGO_BYTES {
        return Err("The logo must be 512 KB or smaller");
    }
    if file.starts_with(PNG_SIGNATURE) {
        return png(file).map(|bytes| Logo {
            kind: LogoKind::Png,
            bytes,
        });
    }
    let text = std::str::from_utf8(file)
        .map_err(|_| "The logo must be a PNG or an SVG image")?
        .trim_start_matches('\u{feff}');
    if !text.contains("<svg") {
        return Err("The logo must be a PNG or an SVG image");
    }
    svg(text).map(|s| Logo {
        kind: LogoKind::Svg,
        bytes: s.into_bytes(),
    })
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The chunks a PNG keeps: those that draw it and its colours. Text, dates, EXIF and the rest
/// (where a camera or editor leaves names and places) are dropped.
const PNG_KEPT: [&[u8; 4]; 9] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"pHYs",
];

fn png(file: &[u8]) -> Result<Vec<u8>, &'static str> {
    const BROKEN: &str = "The PNG is damaged: save it again and upload it";
    let mut out = PNG_SIGNATURE.to_vec();
    let mut at = PNG_SIGNATURE.len();
    let mut first = true;
    loop {
        let header = file.get(at..at + 8).ok_or(BROKEN)?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let end = at
            .checked_add(12)
            .and_then(|n| n.checked_add(length))
            .ok_or(BROKEN)?;
        let chunk = file.get(at..end).ok_or(BROKEN)?;
        let (body, crc) = chunk[4..].split_at(4 + length);
        if crc32fast::hash(body).to_be_bytes() != crc {
            return Err(BROKEN);
        }
        if first {
            if kind != b"IHDR" || length != 13 {
                return Err(BROKEN);
            }
            let side =
                |i: usize| u32::from_be_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
            let (width, height) = (side(4), side(8));
            if width == 0 || height == 0 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE {
                return Err("The logo must be at most 4096 pixels wide and tall");
            }
            first = false;
        }
        if PNG_KEPT.iter().any(|k| &k[..] == kind) {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// The SVG elements kept: shapes, text, groups, gradients and clips. Anything else (scripts,
/// foreign objects, images, styles, animation, links) is dropped with all it holds.
const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "symbol",
    "use",
];

/// The attributes kept: geometry and presentation. Event handlers and anything naming another
/// file are not among them; `href` is kept only to point within the file.
const SVG_ATTRIBUTES: &[&str] = &[
    "xmlns",
    "version",
    "id",
    "class",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "opacity",
    "clip-path",
    "clip-rule",
    "mask",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "fx",
    "fy",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "preserveAspectRatio",
    "role",
    "aria-label",
    "aria-hidden",
    "focusable",
    "xml:space",
    "href",
    "xlink:href",
    "xmlns:xlink",
    "dx",
    "dy",
    "clipPathUnits",
    "maskUnits",
    "maskContentUnits",
    "patternUnits",
    "visibility",
    "display",
    "color",
];

/// Whether an attribute's value stays within the file: any `url(...)` names a fragment, and
/// nothing names a script.
fn safe_value(name: &str, value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("data:") {
        return false;
    }
    if name.ends_with("href") {
        return value.trim_start().starts_with('#');
    }
    lower.match_indices("url(").all(|(i, _)| {
        lower[i + 4..]
            .trim_start()
            .trim_start_matches(['"', '\''])
            .starts_with('#')
    })
}

fn start_tag(e: &BytesStart<'_>, empty: bool) -> Result<String, &'static str> {
    let name = e.name().as_ref().to_owned();
    let mut tag = format!("<{name}");
    for a in e.attributes() {
        let a = a.map_err(|_| SVG_BROKEN)?;
        let key: &str = a.key.as_ref();
        if !SVG_ATTRIBUTES.contains(&key) {
            continue;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| SVG_BROKEN)?;
        if safe_value(key, &value) {
            tag.push_str(&format!(
                " {key}=\"{}\"",
                quick_xml::escape::escape(&*value)
            ));
        }
    }
    tag.push_str(if empty { "/>" } else { ">" });
    Ok(tag)
}

const SVG_BROKEN: &str = "The SVG could not be read: save it again as a plain SVG and upload it";

/// Writes the SVG again from what it may keep. A document type (which could define entities)
/// is refused; so is a file whose outermost element is not `svg`.
fn svg(text: &str) -> Result<String, &'static str> {
    let mut reader = Reader::from_str(text);
    let mut out = String::with_capacity(text.len());
    // The elements open, each with whether it is kept; inside a dropped one nothing is kept.
    let mut open: Vec<bool> = Vec::new();
    let mut elements = 0;
    let mut seen_root = false;
    loop {
        let keeping = open.last().copied().unwrap_or(true);
        match reader.read_event().map_err(|_| SVG_BROKEN)? {
            Event::Start(e) => {
                elements += 1;
                if elements > MAX_SVG_ELEMENTS || open.len() >= MAX_SVG_DEPTH {
                    return Err("The SVG is too complicated: simplify it and upload it again");
                }
                let keep = keeping && kept(&e, &mut seen_root, open.is_empty())?;
                if keep {
                    out.push_str(&start_tag(&e, false)?);
                }
                open.push(keep);
            }
            Event::Empty(e) => {
                elements += 1;
                if keeping && kept(&e, &mut seen_root, open.is_empty())? {
                    out.push_str(&start_tag(&e, true)?);
                }
            }
            Event::End(e) => {
                let was_kept = open.pop().ok_or(SVG_BROKEN)?;
                if was_kept {
                    let name = e.name();
                    out.push_str(&format!("</{}>", name.as_ref()));
                }
            }
            Event::Text(t) if keeping && !open.is_empty() => {
                out.push_str(&t);
            }
            Event::CData(t) if keeping && !open.is_empty() => {
                out.push_str(&quick_xml::escape::escape(&*t));
            }
            Event::GeneralRef(r) if keeping && !open.is_empty() => {
                let name: &str = &r;
                let known = ["amp", "lt", "gt", "quot", "apos"].contains(&name)
                    || (name.starts_with('#') && name[1..].chars().all(|c| c.is_ascii_alphanumeric()));
                if !known {
                    return Err(SVG_BROKEN);
                }
                out.push_str(&format!("&{name};"));
            }
            Event::DocType(_) => {
                return Err("The SVG has a document type, which could load other files: save it again as a plain SVG")
            }
            Event::Eof => break,
            // Declarations, comments and processing instructions are dropped.
            _ => {}
        }
    }
    if !seen_root || !open.is_empty() {
        return Err(SVG_BROKEN);
    }
    Ok(out)
}

/// Whether an element is kept; the outermost must be `svg`, and there is only one.
fn kept(e: &BytesStart<'_>, seen_root: &mut bool, outermost: bool) -> Result<bool, &'static str> {
    let qname = e.name();
    let name: &str = qname.as_ref();
    if outermost {
        if name != "svg" || *seen_root {
            return Err(SVG_BROKEN);
        }
        *seen_root = true;
        return Ok(true);
    }
    Ok(SVG_ELEMENTS.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        c.extend_from_slice(&body);
        c.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
        c
    }

    fn png_with(extra: &[u8], width: u32) -> Vec<u8> {
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&1u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut f = PNG_SIGNATURE.to_vec();
        f.extend(chunk(b"IHDR", &ihdr));
        f.extend_from_slice(extra);
        f.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]));
        f.extend(chunk(b"IEND", &[]));
        f
    }

    #[test]
    fn a_png_keeps_its_picture_and_loses_its_text() {
        let text = chunk(b"tEXt", b"Author\0Dr Jane Example, 1 High Street");
        let logo = sanitise_logo(&png_with(&text, 1)).expect("a PNG");
        assert_eq!(logo.kind, LogoKind::Png);
        assert_eq!(logo.bytes, png_with(&[], 1));
        assert!(!String::from_utf8_lossy(&logo.bytes).contains("Jane"));
    }

    #[test]
    fn a_damaged_or_huge_png_is_refused() {
        let mut f = png_with(&[], 1);
        let n = f.len();
        f[n - 20] ^= 0xff;
        assert!(sanitise_logo(&f).is_err());
        assert!(sanitise_logo(&png_with(&[], 5000)).is_err());
        assert!(sanitise_logo(&png_with(&[], 1)[..40]).is_err());
        assert!(sanitise_logo(&vec![0; MAX_LOGO_BYTES + 1]).is_err());
    }

    #[test]
    fn an_svg_keeps_its_shapes_and_loses_scripts_and_links_out() {
        let file = r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(https://evil.example/x.css);</style>
  <title>Harbourside &amp; District</title>
  <rect width="10" height="10" fill="url(#g)" style="x"/>
  <circle r="3" fill="url(https://evil.example/p)"/>
  <a href="https://evil.example"><path d="M0 0L5 5"/></a>
  <use href="#g"/><use href="https://evil.example/s.svg#x"/>
  <foreignObject><div>hi</div></foreignObject>
</svg>"##;
        let logo = sanitise_logo(file.as_bytes()).expect("an SVG");
        let out = String::from_utf8(logo.bytes).expect("text");
        assert_eq!(logo.kind, LogoKind::Svg);
        for gone in [
            "script",
            "alert",
            "style",
            "evil",
            "onload",
            "foreignObject",
            "<a",
            "M0 0",
        ] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
        for kept in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">",
            "<title>Harbourside &amp; District</title>",
            "<rect width=\"10\" height=\"10\" fill=\"url(#g)\"/>",
            "<circle r=\"3\"/>",
            "<use href=\"#g\"/><use/>",
        ] {
            assert!(out.contains(kept), "{kept} missing from {out}");
        }
    }

    #[test]
    fn an_svg_with_entities_or_no_svg_at_its_root_is_refused() {
        let entity = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>"#;
        assert!(sanitise_logo(entity.as_bytes()).is_err());
        assert!(sanitise_logo(b"<html><svg></svg></html>").is_err());
        assert!(sanitise_logo(b"<svg><g></svg>").is_err());
        assert!(sanitise_logo(b"GIF89a").is_err());
        let deep = format!("<svg>{}{}</svg>", "<g>".repeat(100), "</g>".repeat(100));
        assert!(sanitise_logo(deep.as_bytes()).is_err());
    }
}
