package store

import "testing"

// TestFTSTrigramsCoverTheText: the trigrams asked of the FTS5 index cover
// the text end to end, fewer than every overlapping one, and are quoted.
func TestFTSTrigramsCoverTheText(t *testing.T) {
	for q, want := range map[string]string{
		"张三丰":        `"张三丰"`,
		"枣庄市市场监督管理局": `"枣庄市" AND "市场监" AND "督管理" AND "管理局"`,
		"济南市历下区":     `"济南市" AND "历下区"`,
		"山东省济南":      `"山东省" AND "省济南"`,
		`a"b"c`:      `"a""b" AND "b""c"`,
		"哈哈哈哈哈哈":     `"哈哈哈"`,
	} {
		if got := ftsTrigrams(q); got != want {
			t.Errorf("ftsTrigrams(%q) = %s, want %s", q, got, want)
		}
	}
}
