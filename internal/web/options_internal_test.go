package web

import "testing"

// TestOptionsHTML: the options a select gets, values and labels escaped,
// the chosen one selected.
func TestOptionsHTML(t *testing.T) {
	got := string(optionsHTML([]option{{Value: "鲁0102", Label: "鲁0102 历下区"}, {Value: `"><script>`, Label: "<b>&", Selected: true}}))
	want := `<option value="鲁0102">鲁0102 历下区</option><option value="&#34;&gt;&lt;script&gt;" selected>&lt;b&gt;&amp;</option>`
	if got != want {
		t.Errorf("optionsHTML:\n got %s\nwant %s", got, want)
	}
	if optionsHTML(nil) != "" {
		t.Error("no options gave text")
	}
}
