package keyring

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// maxLinks bounds the chain of symbolic links linkTarget follows to name
// the missing end of a dangling link.
const maxLinks = 40

// writeTarget returns the file a write to path must replace: path itself,
// or, when path is a symbolic link, the file its chain of links ends at.
// Replacing the link by rename would leave the file the services read (a
// Kubernetes Secret's ..data chain, an /etc link into a shared volume)
// unchanged. A link whose end does not exist is an error naming that end,
// an [fs.PathError] matching fs.ErrNotExist: creating a file there could
// put secrets in a place no one chose.
func writeTarget(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		// A missing file is created at path; other errors surface when
		// the file is read or written.
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("symbolic link to a file that does not exist: %w",
			&fs.PathError{Op: "resolve", Path: danglingEnd(path), Err: fs.ErrNotExist})
	}
	if err != nil {
		return "", fmt.Errorf("resolving the symbolic link: %w", err)
	}
	return target, nil
}

// danglingEnd follows the chain of symbolic links from path and returns
// the first name in it that does not exist (or the last one followed).
func danglingEnd(path string) string {
	cur := path
	for range maxLinks {
		fi, err := os.Lstat(cur)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return cur
		}
		next, err := os.Readlink(cur)
		if err != nil {
			return cur
		}
		if !filepath.IsAbs(next) {
			next = filepath.Join(filepath.Dir(cur), next)
		}
		cur = next
	}
	return cur
}
