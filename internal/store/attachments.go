package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// Attachment is a file kept with a record, without its bytes.
type Attachment struct {
	ID          int64
	OwnerKind   string
	OwnerID     int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	By          string
	CreatedAt   time.Time
}

const attachmentColumns = "id, owner_kind, owner_id, name, content_type, size, sha256, uploaded_by, created_at"

func scanAttachment(row scanner) (a Attachment, err error) {
	err = row.Scan(&a.ID, &a.OwnerKind, &a.OwnerID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.By, &a.CreatedAt)
	a.CreatedAt = a.CreatedAt.UTC()
	return a, err
}

// attachmentsOf lists the files kept with a record.
func attachmentsOf(ctx context.Context, q querier, kind string, id int64) ([]Attachment, error) {
	out, err := collect(ctx, q, scanAttachment, "SELECT "+attachmentColumns+" FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY id", kind, id)
	if err != nil {
		return nil, fmt.Errorf("listing attachments: %w", err)
	}
	return out, nil
}

// MaxAttachment is the largest file kept, in bytes.
const MaxAttachment = 10 << 20

// attachmentTypes are the kinds of file kept, by their sniffed type
// (http.DetectContentType): PDF, images, and Office documents (which sniff
// as ZIP, the OOXML formats, or as an unknown binary, the older ones).
var attachmentTypes = map[string]bool{
	"application/pdf": true, "image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"application/zip": true, "application/octet-stream": true,
}

// officeExts are the file names an Office document may have: a ZIP or an
// unknown binary is kept only under one of them.
var officeExts = []string{".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".wps", ".et", ".ofd"}

// checkAttachment sniffs data and returns the type it is kept and served
// as, or a refusal.
func checkAttachment(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", domain.Invalid("file", "请选择文件")
	}
	if len(data) > MaxAttachment {
		return "", domain.Invalid("file", "文件不能超过10MB")
	}
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if !attachmentTypes[ct] {
		return "", domain.Invalid("file", "只能上传PDF、图片或Office文档")
	}
	if ct == "application/zip" || ct == "application/octet-stream" {
		ext := strings.ToLower(path.Ext(name))
		if !slices.Contains(officeExts, ext) {
			return "", domain.Invalid("file", "只能上传PDF、图片或Office文档")
		}
		ct = "application/octet-stream"
	}
	return ct, nil
}

// AddItemFile keeps a file (evidence, a scan) with rectification item
// itemID of rectification id, for a viewer who reports on the item or
// accepts it; returns its id. Audited with its name, size and SHA-256.
func (db *DB) AddItemFile(ctx context.Context, v domain.Viewer, id, itemID int64, name string, data []byte) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) {
		r, it, err := itemRow(ctx, tx, tx.v, id, itemID)
		if err != nil {
			return 0, err
		}
		if rc := r.rect(it.ResponsibleID); !oversight.CanReport(tx.v, rc) && !oversight.CanAccept(tx.v, rc) {
			return 0, domain.Errorf(domain.ErrForbidden, "您无权为该整改事项上传附件。")
		}
		aid, detail, err := tx.keepFile(ctx, "rectification_item", itemID, FileIn{Name: name, Data: data})
		if err != nil {
			return 0, err
		}
		return aid, tx.Audit(ctx, Entry{Action: "attachment.add", ObjectType: "rectification", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true,
			Detail: fmt.Sprintf("整改事项%d%s", itemID, detail)})
	})
}

// FileIn is a file as uploaded: the name it came with and its bytes.
type FileIn struct {
	Name string
	Data []byte
}

// keepFile keeps f with the record ownerKind ownerID, whose scope and
// secrecy it shares, once checkAttachment lets it; it returns its id and
// what the audit says of it (name, size, SHA-256). The caller has checked
// the viewer's right to the record and audits.
func (tx *Tx) keepFile(ctx context.Context, ownerKind string, ownerID int64, f FileIn) (int64, string, error) {
	name := strings.TrimSpace(path.Base(strings.ReplaceAll(f.Name, "\\", "/")))
	if name == "" || name == "." || name == "/" || utf8.RuneCountInString(name) > 200 {
		name = "附件"
	}
	ct, err := checkAttachment(name, f.Data)
	if err != nil {
		return 0, "", err
	}
	sum := sha256.Sum256(f.Data)
	var aid int64
	if err := tx.queryRow(ctx, `INSERT INTO attachments (owner_kind, owner_id, name, content_type, size, sha256, data, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, ownerKind, ownerID, name, ct, len(f.Data), hex.EncodeToString(sum[:]), f.Data,
		actorName(tx.v), tx.db.now()).Scan(&aid); err != nil {
		return 0, "", fmt.Errorf("keeping an attachment: %w", translate(err))
	}
	return aid, fmt.Sprintf("附件%d：%s，%d字节，SHA-256 %s", aid, name, len(f.Data), hex.EncodeToString(sum[:])), nil
}

// AttachmentFile returns attachment id and its bytes if v sees its record;
// "not found" otherwise.
func (db *DB) AttachmentFile(ctx context.Context, v domain.Viewer, id int64) (*Attachment, []byte, error) {
	var a Attachment
	var data []byte
	err := db.queryRow(ctx, "SELECT "+attachmentColumns+", data FROM attachments WHERE id = ?", id).Scan(&a.ID, &a.OwnerKind, &a.OwnerID, &a.Name,
		&a.ContentType, &a.Size, &a.SHA256, &a.By, &a.CreatedAt, &data)
	if err != nil {
		return nil, nil, fmt.Errorf("attachment %d: %w", id, translate(err))
	}
	switch a.OwnerKind {
	case "rectification_item":
		var rid int64
		if err := db.queryRow(ctx, "SELECT rectification_id FROM rectification_items WHERE id = ?", a.OwnerID).Scan(&rid); err != nil {
			return nil, nil, translate(err)
		}
		if _, _, err := itemRow(ctx, db, v, rid, a.OwnerID); err != nil {
			return nil, nil, err
		}
	case "clue_step":
		// A clue's evidence is the clue's: only those who see the clue.
		var clue int64
		if err := db.queryRow(ctx, "SELECT clue_id FROM clue_steps WHERE id = ?", a.OwnerID).Scan(&clue); err != nil {
			return nil, nil, translate(err)
		}
		if _, err := clueRow(ctx, db, v, clue); err != nil {
			return nil, nil, err
		}
	case "inspection_target":
		if err := canSeeTargetFile(ctx, db, v, a.OwnerID); err != nil {
			return nil, nil, err
		}
	case planFileKind:
		if err := canSeePlanFile(ctx, db, v, a.OwnerID); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("attachment %d: %w", id, domain.ErrNotFound)
	}
	return &a, data, nil
}
