package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Text reads a .docx back: it checks that the package has the parts Word
// and WPS need, each well-formed XML, and returns the text of
// word/document.xml, a paragraph or table cell a line. Tests use it to
// check what a page sent.
func Text(data []byte) (string, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("reading the package: %w", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return "", fmt.Errorf("opening %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return "", fmt.Errorf("reading %s: %w", f.Name, err)
		}
		parts[f.Name] = b
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if parts[name] == nil {
			return "", fmt.Errorf("no %s", name)
		}
	}
	if !bytes.Contains(parts["[Content_Types].xml"], []byte(`PartName="/word/document.xml"`)) || !bytes.Contains(parts["_rels/.rels"], []byte(`Target="word/document.xml"`)) {
		return "", errors.New("the package does not lead to word/document.xml")
	}
	var out strings.Builder
	for name, body := range parts {
		dec := xml.NewDecoder(bytes.NewReader(body))
		inText := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "", fmt.Errorf("%s is not well-formed: %w", name, err)
			}
			if name != "word/document.xml" {
				continue
			}
			switch x := tok.(type) {
			case xml.StartElement:
				inText = x.Name.Local == "t"
			case xml.EndElement:
				inText = false
				if x.Name.Local == "p" || x.Name.Local == "tc" {
					out.WriteString("\n")
				}
			case xml.CharData:
				if inText {
					out.Write(x)
				}
			}
		}
	}
	return out.String(), nil
}
