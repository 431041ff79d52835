// Package docx writes simple Word documents (.docx): headings, paragraphs
// and tables of text on A4, in Chinese official-document fonts. It writes
// the smallest package Word and WPS open — [Content_Types].xml, _rels/.rels
// and word/document.xml — by hand with archive/zip, so that the program
// needs no Office library for a 通报.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Fonts and sizes (half-points) of 党政机关公文格式 (GB/T 9704): the title
// in 宋体 二号 bold, the text in 仿宋 三号, tables in 仿宋 四号.
const (
	titleFont, textFont      = "宋体", "仿宋"
	titleSize, textSize, tbl = 44, 32, 28
)

// Doc is a document being written, part by part.
type Doc struct {
	body strings.Builder
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to memory: cannot fail
	return b.String()
}

func run(text, font string, size int, bold bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<w:r><w:rPr><w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/>`, font)
	if bold {
		b.WriteString("<w:b/>")
	}
	fmt.Fprintf(&b, `<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/></w:rPr>`, size)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		fmt.Fprintf(&b, `<w:t xml:space="preserve">%s</w:t>`, esc(line))
	}
	b.WriteString("</w:r>")
	return b.String()
}

// Title writes the document's title, centred.
func (d *Doc) Title(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr>` + run(text, titleFont, titleSize, true) + "</w:p>")
}

// Heading writes a heading of the text, bold, in the text font.
func (d *Doc) Heading(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:spacing w:before="120" w:after="120"/></w:pPr>` + run(text, textFont, textSize, true) + "</w:p>")
}

// Para writes a paragraph, its first line indented by two characters.
func (d *Doc) Para(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr>` + run(text, textFont, textSize, false) + "</w:p>")
}

// Right writes a paragraph aligned right (the signature and date).
func (d *Doc) Right(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:jc w:val="right"/></w:pPr>` + run(text, textFont, textSize, false) + "</w:p>")
}

// Table writes a bordered table whose first row is its header; widths are
// the columns' shares of the line.
func (d *Doc) Table(widths []int, rows [][]string) {
	const line = 8640 // twips between the margins of A4 below
	total := 0
	for _, w := range widths {
		total += w
	}
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	tw := make([]int, len(widths))
	for i, w := range widths {
		tw[i] = line * w / max(total, 1)
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, tw[i])
	}
	b.WriteString(`</w:tblGrid>`)
	for r, row := range rows {
		b.WriteString("<w:tr>")
		for i := range widths {
			cell := ""
			if i < len(row) {
				cell = row[i]
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr><w:p>%s</w:p></w:tc>`, tw[i], run(cell, textFont, tbl, r == 0))
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl><w:p/>")
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

// A4 portrait with the margins of GB/T 9704 (top 37 mm, bottom 35 mm,
// left 28 mm, right 26 mm), in twips.
const sectPr = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`

// Write writes the document as a .docx package to w.
func (d *Doc) Write(w io.Writer) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rels},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + d.body.String() + sectPr + `</w:body></w:document>`},
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return fmt.Errorf("writing %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return fmt.Errorf("writing %s: %w", p.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("closing the document: %w", err)
	}
	return nil
}
