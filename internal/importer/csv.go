package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// maxRecord bounds one record (row) of a CSV file, so that a file without
// line breaks, or with a quote that never closes, is refused instead of
// read whole into memory.
const maxRecord = 1 << 20

// csvSource reads rows from a CSV file, decoding GBK on the fly.
type csvSource struct {
	p     *csvParser
	in    *countingReader
	size  int64
	width int // cells in the header, once found
}

// openCSV prepares to read r as CSV in UTF-8 (with or without BOM) or, if
// the bytes are not valid UTF-8, GB18030, which includes GBK.
func openCSV(r io.ReaderAt, size int64, prefix []byte) (*csvSource, string, error) {
	start := int64(0)
	if bytes.HasPrefix(prefix, bomUTF8) {
		start = int64(len(bomUTF8))
	}
	utf, err := isUTF8(r, start, size)
	if err != nil {
		return nil, "", err
	}
	in := &countingReader{r: io.NewSectionReader(r, start, size-start)}
	in.n.Store(start)
	var text io.Reader = in
	format := "csv-utf8"
	if !utf {
		text = transform.NewReader(in, simplifiedchinese.GB18030.NewDecoder())
		format = "csv-gbk"
	}
	p := newCSVParser(text, sniffComma(prefix[start:]))
	return &csvSource{p: p, in: in, size: size}, format, nil
}

func (c *csvSource) next() ([]string, int, error) {
	cells, line, complete, err := c.p.read()
	if err != nil {
		return nil, 0, err
	}
	if !complete && c.width > 0 && len(cells) < c.width {
		return nil, 0, fileErr(ErrTruncated, nil, fmt.Sprintf("文件不完整：最后一行（第%d行）只有%d列，表头有%d列，且文件没有以换行结束，文件可能被截断，请重新导出后再上传", line, len(cells), c.width))
	}
	return cells, line, nil
}

func (c *csvSource) setWidth(n int) { c.width = n }

func (c *csvSource) progress() (int64, int64) { return c.in.n.Load(), c.size }

func (c *csvSource) close() error { return nil }

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// csvParser reads CSV records as Excel does, rather than as RFC 4180's
// strict reading in encoding/csv would: a quote inside an unquoted cell is
// an ordinary character (exports write ="0123" to keep leading zeros), and
// text after a closing quote is kept. The only quoting error is a quote
// that is still open at the end of the file, which means the file was cut
// off. It numbers physical lines, and bounds each record to maxRecord.
type csvParser struct {
	r     *bufio.Reader
	comma byte
	line  int    // physical lines read
	long  []byte // a line longer than the bufio buffer
	buf   []byte // the cells of the current record, end to end
	ends  []int
}

func newCSVParser(r io.Reader, comma rune) *csvParser {
	return &csvParser{r: bufio.NewReaderSize(r, 64<<10), comma: byte(comma)}
}

// readLine returns the next physical line without its line break; nl
// reports whether it had one. At the end of the input it returns io.EOF
// and no line.
func (p *csvParser) readLine() (line []byte, nl bool, err error) {
	line, err = p.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		p.long = append(p.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(p.long) > maxRecord {
				return nil, false, p.tooLong(p.line + 1)
			}
			line, err = p.r.ReadSlice('\n')
			p.long = append(p.long, line...)
		}
		line = p.long
	}
	if err != nil && err != io.EOF {
		var fe *fileError
		if errors.As(err, &fe) {
			return nil, false, err
		}
		return nil, false, fileErr(ErrTruncated, err, "读取CSV文件失败，文件可能已损坏")
	}
	if len(line) == 0 {
		return nil, false, io.EOF
	}
	p.line++
	if n := len(line); line[n-1] == '\n' {
		nl = true
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line, nl, nil
}

func (p *csvParser) tooLong(line int) error {
	return fileErr(ErrNotTable, nil, fmt.Sprintf("第%d行开始的一行超过%s，文件不像是CSV表格，或有未配对的引号", line, mib(maxRecord)))
}

// read returns the next record, the line it starts on, and whether it
// ended with a line break; io.EOF at the end of the input.
func (p *csvParser) read() (cells []string, start int, complete bool, err error) {
	line, nl, err := p.readLine()
	if err != nil {
		return nil, 0, false, err
	}
	start = p.line
	p.buf, p.ends = p.buf[:0], p.ends[:0]
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					// The quoted cell goes on to the next line.
					p.buf = append(p.buf, line[i:]...)
					if !nl {
						return nil, 0, false, fileErr(ErrTruncated, nil, fmt.Sprintf("文件不完整：第%d行开始的带引号内容直到文件末尾都没有结束，文件可能被截断，请重新导出后再上传", start))
					}
					p.buf = append(p.buf, '\n')
					if len(p.buf) > maxRecord {
						return nil, 0, false, p.tooLong(start)
					}
					if line, nl, err = p.readLine(); err == io.EOF {
						return nil, 0, false, fileErr(ErrTruncated, nil, fmt.Sprintf("文件不完整：第%d行开始的带引号内容直到文件末尾都没有结束，文件可能被截断，请重新导出后再上传", start))
					} else if err != nil {
						return nil, 0, false, err
					}
					i = 0
					continue
				}
				p.buf = append(p.buf, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					p.buf = append(p.buf, '"')
					i++
					continue
				}
				break
			}
		}
		// An unquoted cell, or what follows a closing quote.
		k := bytes.IndexByte(line[i:], p.comma)
		if k < 0 {
			k = len(line) - i
		}
		p.buf = append(p.buf, line[i:i+k]...)
		i += k
		p.ends = append(p.ends, len(p.buf))
		if len(p.buf) > maxRecord {
			return nil, 0, false, p.tooLong(start)
		}
		if i >= len(line) {
			break
		}
		i++ // the comma
	}
	s := string(p.buf)
	cells = make([]string, len(p.ends))
	prev := 0
	for n, end := range p.ends {
		cells[n] = s[prev:end]
		prev = end
	}
	return cells, start, nl, nil
}
