package importer

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// maxMappingBytes bounds a mapping file; a real one has a few dozen lines.
const maxMappingBytes = 1 << 20

// ParseMapping reads a column mapping file: CSV lines 来源列名,标准列名,
// in UTF-8 or GBK, with an optional header line of those two words and
// comment lines starting with #. The target may be a standard column name
// or one of its synonyms; the result maps to standard names and can be
// passed as Options.Mapping.
func ParseMapping(r io.Reader) (map[string]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxMappingBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading mapping: %w", err)
	}
	if len(b) > maxMappingBytes {
		return nil, fileErr(ErrColumns, nil, "映射文件过大")
	}
	b = bytes.TrimPrefix(b, bomUTF8)
	if !utf8.Valid(b) {
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			return nil, fileErr(ErrColumns, err, "映射文件既不是UTF-8也不是GBK编码")
		}
	}
	cr := newCSVParser(bytes.NewReader(b), sniffComma(b))
	out := make(map[string]string)
	for first := true; ; first = false {
		rec, line, _, err := cr.read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fileErr(ErrColumns, err, "映射文件格式不正确")
		}
		if len(rec) > 0 && strings.HasPrefix(strings.TrimSpace(rec[0]), "#") {
			continue
		}
		if blank(rec) {
			continue
		}
		from, to := strings.TrimSpace(rec[0]), ""
		if len(rec) > 1 {
			to = strings.TrimSpace(rec[1])
		}
		if first && strings.Contains(from, "来源") && strings.Contains(to, "标准") {
			continue
		}
		if len(rec) > 2 && !blank(rec[2:]) || from == "" || to == "" {
			return nil, fileErr(ErrColumns, nil, fmt.Sprintf("映射文件第%d行应为“来源列名,标准列名”两项", line))
		}
		norm, _, _ := normalizeHeader(to)
		f, ok := lookupStandard(norm)
		if !ok {
			return nil, fileErr(ErrColumns, nil, fmt.Sprintf("映射文件第%d行：“%s”不是标准列名（标准列名有：%s）", line, to, strings.Join(StandardColumns(), "、")))
		}
		out[from] = f.String()
	}
}
