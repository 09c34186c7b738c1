package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFile is the file in a results folder that a running run holds locked.
const lockFile = ".quantbench.lock"

// lock takes an exclusive advisory lock on the results folder for the life
// of the process, so two runs never append to the same records file. The
// operating system releases it when the process exits, even after a kill.
func (s *runState) lock() error {
	path := filepath.Join(s.dir, lockFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("lock results folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%s is in use by another quantbench run (pid %s): wait for it to finish or stop it first",
				s.dir, strings.TrimSpace(string(holder)))
		}
		return fmt.Errorf("lock results folder %s: %w", s.dir, err)
	}
	f.Truncate(0)
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	s.lockHandle = f
	return nil
}

// unlock releases the results folder.
func (s *runState) unlock() {
	if s.lockHandle != nil {
		s.lockHandle.Close()
		s.lockHandle = nil
	}
}
