import { describe, expect, it } from 'vitest';
import { MalformedXmlError, appendElement, attributeValue, childElements, escapeXml, firstChild, parseXml, renderXml, xmlElement } from './xml.js';

describe('XML helpers', () => {
  it('parses repeated elements, attributes, entities, CDATA and untrimmed text', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="urn:x"><Object><Key>a &amp; b &#x41;&#66; &lt;c&gt;</Key></Object>' +
        '<Object><Key>  spaced  </Key></Object><G xmlns:xsi="urn:xsi" xsi:type="CanonicalUser"><ID>1</ID></G><C><![CDATA[<raw>]]></C><E/></Delete>',
    );
    expect(root.name).toBe('Delete');
    expect(root.attributes).toEqual({ xmlns: 'urn:x' });
    expect(childElements(root, 'Object').map((o) => firstChild(o, 'Key')!.text)).toEqual(['a & b AB <c>', '  spaced  ']);
    const grantee = firstChild(root, 'G')!;
    expect(attributeValue(grantee, 'xsi:type')).toBe('CanonicalUser');
    expect(attributeValue(grantee, 'type')).toBe('CanonicalUser');
    expect(firstChild(root, 'C')!.text).toBe('<raw>');
    expect(firstChild(root, 'E')!.text).toBe('');
  });

  it('refuses malformed documents, several roots, DOCTYPEs and entity declarations', () => {
    for (const text of ['', 'text', '<a><b></a>', '<a/><b/>', '<!DOCTYPE a><a/>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>']) {
      expect(() => parseXml(text)).toThrow(MalformedXmlError);
    }
  });

  it('renders in insertion order with escaping that parses back to the same text', () => {
    const root = xmlElement('Root', '', { xmlns: 'urn:"x"' });
    appendElement(root, 'B', `1 < 2 & "3" > '0'\r\n`);
    appendElement(root, 'A');
    const text = renderXml(root, { declaration: true });
    expect(text).toBe('<?xml version="1.0" encoding="UTF-8"?><Root xmlns="urn:&quot;x&quot;"><B>1 &lt; 2 &amp; &quot;3&quot; &gt; &apos;0&apos;&#13;\n</B><A></A></Root>');
    const parsed = parseXml(text);
    expect(parsed.attributes.xmlns).toBe('urn:"x"');
    expect(parsed.children.map((c) => [c.name, c.text])).toEqual([['B', `1 < 2 & "3" > '0'\r\n`], ['A', '']]);
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
});
