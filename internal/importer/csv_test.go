package importer

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCSVParser(t *testing.T) {
	in := "a,b,c\r\n" +
		"\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n" +
		"\n" +
		"=\"0123\",1\"00,\"ab\"cd\n" +
		"last,,"
	p := newCSVParser(strings.NewReader(in), ',')
	want := []struct {
		cells    []string
		line     int
		complete bool
	}{
		{[]string{"a", "b", "c"}, 1, true},
		{[]string{"x,1", `say "hi"`, "two\nlines"}, 2, true},
		{[]string{""}, 4, true},
		{[]string{`="0123"`, `1"00`, "abcd"}, 5, true},
		{[]string{"last", "", ""}, 6, false},
	}
	for i, w := range want {
		cells, line, complete, err := p.read()
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if strings.Join(cells, "|") != strings.Join(w.cells, "|") || line != w.line || complete != w.complete {
			t.Errorf("record %d = %q line %d complete %v; want %q line %d complete %v", i, cells, line, complete, w.cells, w.line, w.complete)
		}
	}
	if _, _, _, err := p.read(); err != io.EOF {
		t.Errorf("at the end: %v", err)
	}

	p = newCSVParser(strings.NewReader("a\n\"open\nand never closed\n"), ',')
	p.read()
	if _, _, _, err := p.read(); !errors.Is(err, ErrTruncated) {
		t.Errorf("open quote at the end: %v", err)
	}
	p = newCSVParser(strings.NewReader("\""+strings.Repeat("x\n", maxRecord)+"\"\n"), ',')
	if _, _, _, err := p.read(); !errors.Is(err, ErrNotTable) {
		t.Errorf("huge record: %v", err)
	}
}

func TestCSVWithoutFinalNewline(t *testing.T) {
	data := "案号,立案日期,被执行人\n（2021）鲁0102执1号,2021-03-05,张三\n（2021）鲁0102执2号,2021-03-06,李四"
	_, r := importFile(t, "complete.csv", []byte(data), Options{})
	if len(r.cases) != 2 || r.err != nil {
		t.Fatalf("result %+v", r)
	}
}
