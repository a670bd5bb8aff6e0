/**
 * @module
 * XML documents as the XML protocols (awsQuery, ec2Query, restXml) see them: one small element
 * tree for both directions, a writer that keeps the order elements were added in, and a parser
 * (fast-xml-parser underneath) that keeps repeated elements, attributes and text as they came.
 * Documents with a DOCTYPE or entity declarations are refused outright.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ServiceError } from '../core/errors.js';

/** An XML element: its qualified name, attributes, child elements in order and text content. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  /** The concatenated text directly inside the element (CDATA included), untrimmed. */
  text: string;
}

/** The XML declaration AWS puts in front of its REST-XML documents. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** S3's answer to a body that is not well-formed XML (or not the XML the operation expects). */
export class MalformedXmlError extends ServiceError {
  constructor() {
    super('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', {
      status: 400,
    });
  }
}

/** A new element; `text` and `attributes` default to empty. */
export function xmlElement(name: string, text = '', attributes: Record<string, string> = {}): XmlElement {
  return { name, attributes: { ...attributes }, children: [], text };
}

/** Appends a new child element to `parent` and returns the child. */
export function appendElement(parent: XmlElement, name: string, text = ''): XmlElement {
  const child = xmlElement(name, text);
  parent.children.push(child);
  return child;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** Escapes text for element content or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!) : text;
}

const NEEDS_ESCAPE = /[&<>"'\r]/;

/** Serialises an element tree; with `declaration`, the XML declaration goes first. */
export function renderXml(root: XmlElement, options: { declaration?: boolean } = {}): string {
  let out = options.declaration ? XML_DECLARATION : '';
  const write = (el: XmlElement): void => {
    out += `<${el.name}`;
    for (const name in el.attributes) out += ` ${name}="${escapeXml(el.attributes[name]!)}"`;
    out += '>';
    if (el.children.length > 0) for (const child of el.children) write(child);
    else out += escapeXml(el.text);
    out += `</${el.name}>`;
  };
  write(root);
  return out;
}

/** The part of a qualified name after its prefix (`xsi:type` → `type`). */
export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The child elements of `el` whose local name is `name`, in document order. */
export function childElements(el: XmlElement, name: string): XmlElement[] {
  const local = localName(name);
  return el.children.filter((child) => child.name === name || localName(child.name) === local);
}

/** The first child element of `el` whose local name is `name`. */
export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  const local = localName(name);
  return el.children.find((child) => child.name === name || localName(child.name) === local);
}

/** An attribute by qualified name, else by local name. */
export function attributeValue(el: XmlElement, name: string): string | undefined {
  if (name in el.attributes) return el.attributes[name];
  const local = localName(name);
  const key = Object.keys(el.attributes).find((k) => localName(k) === local && !k.startsWith('xmlns'));
  return key === undefined ? undefined : el.attributes[key];
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref]!;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (code > 0x10ffff) throw new MalformedXmlError();
    return String.fromCodePoint(code);
  });
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name.startsWith('?') || name.startsWith('!')) return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(node[':@'] ?? {})) attributes[key] = decodeEntities(String(value));
  const el = xmlElement(name, '', attributes);
  for (const child of node[name] as OrderedNode[]) {
    if ('#text' in child) el.text += decodeEntities(String(child['#text']));
    else {
      const sub = toElement(child);
      if (sub) el.children.push(sub);
    }
  }
  return el;
}

/**
 * Parses a document and returns its root element. Throws MalformedXmlError when the text is not
 * well-formed XML, has no root element, or declares a DOCTYPE or entities.
 */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new MalformedXmlError();
  if (XMLValidator.validate(text) !== true) throw new MalformedXmlError();
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: false,
  });
  let roots: XmlElement[];
  try {
    roots = (parser.parse(text) as OrderedNode[]).map(toElement).filter((el): el is XmlElement => el !== undefined);
  } catch {
    throw new MalformedXmlError();
  }
  if (roots.length !== 1) throw new MalformedXmlError();
  return roots[0]!;
}
