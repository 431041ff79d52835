package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// sniffLen is how much of the start of a file the format is judged by.
const sniffLen = 64 << 10

var (
	bomUTF8   = []byte{0xEF, 0xBB, 0xBF}
	magicZip  = []byte("PK\x03\x04")
	magicOLE  = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicPDF  = []byte("%PDF")
	bomUTF16s = [][]byte{{0xFF, 0xFE}, {0xFE, 0xFF}}
)

// notTable is the message for a file that is neither CSV nor XLSX; hint
// says what it looks like instead.
func notTable(hint string) error {
	msg := "文件不是CSV或XLSX表格"
	if hint != "" {
		msg += "（" + hint + "）"
	}
	return fileErr(ErrNotTable, nil, msg+"，请从案件管理系统导出CSV或XLSX文件后再上传")
}

// sniff decides the format from the first bytes of the file: "xlsx" or
// "csv", or an error saying why it is neither.
func sniff(prefix []byte) (string, error) {
	switch {
	case bytes.HasPrefix(prefix, magicZip):
		return "xlsx", nil
	case bytes.HasPrefix(prefix, magicOLE):
		return "", notTable("是旧版Excel（.xls）或加密的工作簿，请在Excel中另存为XLSX")
	case bytes.HasPrefix(prefix, magicPDF):
		return "", notTable("是PDF文件")
	case bytes.HasPrefix(prefix, []byte("PK")):
		return "", notTable("是空的或不完整的压缩包")
	}
	for _, bom := range bomUTF16s {
		if bytes.HasPrefix(prefix, bom) {
			return "", notTable("是UTF-16编码的文本，请另存为CSV（UTF-8）或XLSX")
		}
	}
	text := bytes.TrimPrefix(prefix, bomUTF8)
	head := strings.ToLower(string(bytes.TrimSpace(text[:min(len(text), 512)])))
	for _, tag := range []string{"<html", "<!doctype", "<table", "<?xml"} {
		if strings.HasPrefix(head, tag) {
			return "", notTable("是网页或XML文件；如果是系统导出的“Excel”，请在Excel中打开后另存为XLSX")
		}
	}
	controls := 0
	for _, b := range text {
		switch {
		case b == 0:
			return "", notTable("")
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r', b == 0x7F:
			controls++
		}
	}
	if controls*100 > len(text) {
		return "", notTable("")
	}
	return "csv", nil
}

// sniffComma picks the separator of a CSV file from its first line: a
// comma unless tabs or semicolons are more frequent. The separators are
// ASCII and never part of a GBK character, so bytes can be counted.
func sniffComma(text []byte) rune {
	line, _, _ := bytes.Cut(text, []byte("\n"))
	comma, best := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{'\t', ';'} {
		if n := bytes.Count(line, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	return comma
}

// isUTF8 reports whether the bytes of r from off to size are valid UTF-8,
// reading in chunks. A character cut off at the very end counts as valid:
// the file was truncated, which the CSV reader reports, not re-encoded.
func isUTF8(r io.ReaderAt, off, size int64) (bool, error) {
	buf := make([]byte, 256<<10)
	carry := 0
	for off < size {
		n, err := r.ReadAt(buf[carry:min(len(buf), carry+int(size-off))], off)
		off += int64(n)
		data := buf[:carry+n]
		keep := incompleteTail(data)
		if !utf8.Valid(data[:len(data)-keep]) {
			return false, nil
		}
		carry = copy(buf, data[len(data)-keep:])
		if err == io.EOF {
			break
		}
		if err != nil {
			return false, fmt.Errorf("reading file: %w", err)
		}
	}
	return true, nil
}

// incompleteTail returns how many bytes at the end of b start a UTF-8
// sequence that continues past b.
func incompleteTail(b []byte) int {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		switch {
		case c < 0x80:
			return 0
		case c >= 0xC0:
			need := 2
			if c >= 0xF0 {
				need = 4
			} else if c >= 0xE0 {
				need = 3
			}
			if need > i {
				return i
			}
			return 0
		}
	}
	return 0
}

// Zip limits. Deflate compresses at most about 1000:1; worksheets of real
// exports compress 5–30:1, so 200:1 on a sizeable entry means a bomb.
const (
	maxZipEntries  = 10_000
	maxZipRatio    = 200
	ratioCheckFrom = 1 << 20
	// maxZipPart bounds entries other than worksheets and the shared
	// strings, which excelize reads whole into memory.
	maxZipPart = 64 << 20
)

// checkZip reads the zip central directory and refuses archives that are
// damaged, unpack to more than maxUnzipped bytes, compress suspiciously
// well, or are not XLSX workbooks, before excelize unpacks anything. The
// declared sizes can be trusted: archive/zip fails a read that goes past
// them.
func checkZip(r io.ReaderAt, size, maxUnzipped int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fileErr(ErrTruncated, err, "XLSX文件已损坏或不完整（可能只上传了一部分），请重新导出后再上传")
	}
	if len(zr.File) > maxZipEntries {
		return fileErr(ErrTooLarge, nil, fmt.Sprintf("XLSX文件包含%d个部件，超过上限%d，疑似压缩炸弹", len(zr.File), maxZipEntries))
	}
	bomb := func(why string) error {
		return fileErr(ErrTooLarge, nil, "XLSX文件"+why+"，疑似压缩炸弹，已拒绝")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, f.CompressedSize64
		total += u
		if u > uint64(maxUnzipped) || total > uint64(maxUnzipped) {
			return bomb(fmt.Sprintf("解压后超过%s的上限", mib(maxUnzipped)))
		}
		if u > ratioCheckFrom && u/max(c, 1) > maxZipRatio {
			return bomb(fmt.Sprintf("中的“%s”压缩比达%d:1", f.Name, u/max(c, 1)))
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		bulk := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		if !bulk && u > maxZipPart {
			return bomb(fmt.Sprintf("中的“%s”解压后达%s", f.Name, mib(int64(u))))
		}
		if name == "xl/workbook.xml" {
			workbook = true
		}
	}
	if !workbook {
		return notTable("是ZIP压缩包，但不是XLSX工作簿")
	}
	return nil
}

func mib(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
