package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestDocRoundTrip(t *testing.T) {
	var d Doc
	d.Title("关于2026年第一季度执行案款管理案件评查情况的通报")
	d.Heading("一、基本情况")
	d.Para("共评查案件6件，<优秀>1件 & 合格4件。")
	d.Table([]int{1, 3, 2}, [][]string{{"名次", "法院", "平均得分"}, {"1", "历下区人民法院", "95.0"}})
	d.Right("济南市中级人民法院\n2026年4月1日")
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text, err := Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"关于2026年第一季度执行案款管理案件评查情况的通报", "<优秀>1件 & 合格4件", "历下区人民法院", "95.0", "2026年4月1日"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not read back from:\n%s", want, text)
		}
	}
	if !bytes.Contains(buf.Bytes(), []byte("word/document.xml")) {
		t.Fatal("no document part")
	}
	// The East-Asian font is named in the run properties.
	z, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			if !bytes.Contains(b, []byte(`w:eastAsia="仿宋"`)) || !bytes.Contains(b, []byte(`w:eastAsia="宋体"`)) || !bytes.Contains(b, []byte(`w:w="11906" w:h="16838"`)) {
				t.Error("fonts or A4 page missing")
			}
		}
	}
}
