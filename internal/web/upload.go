package web

import (
	"io"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
)

// readTableUpload reads the CSV or XLSX file of a form's "file" field, of
// at most limit bytes, whole: the small tables (complaints, acts) are read
// in the request. what names the file in the message when none was chosen.
// The request's other fields are parsed too.
func readTableUpload(w http.ResponseWriter, r *http.Request, limit int64, what string) (data []byte, name string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, "", domain.Errorf(domain.ErrInvalid, "请选择不超过%dMB的CSV或XLSX文件。", limit>>20)
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files; the OS cleans up what remains
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, "", domain.Errorf(domain.ErrInvalid, "请选择要导入的%s。", what)
	}
	defer f.Close()
	if data, err = io.ReadAll(io.LimitReader(f, limit+1)); err != nil {
		return nil, "", err
	}
	return data, hdr.Filename, nil
}
