#ifndef NEXTTOKEN_CNCURSESW_SHIM_H
#define NEXTTOKEN_CNCURSESW_SHIM_H

// pkg-config's -D_XOPEN_SOURCE flags are dropped by SwiftPM; without this the
// wide-character API (cchar_t, setcchar, add_wch) does not import.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <curses.h>
#include <term.h>

// Glibc's Swift module hides wcwidth.
int wcwidth(wchar_t c);

// Macros and globals Swift cannot import or flags as unsafe to share: wrapped
// as functions. All of them, like every curses call, belong on the main thread.

static inline SCREEN *nt_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline WINDOW *nt_stdscr(void) { return stdscr; }
static inline int nt_lines(void) { return getmaxy(stdscr); }
static inline int nt_columns(void) { return getmaxx(stdscr); }
static inline int nt_colors(void) { return COLORS; }
static inline int nt_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t nt_attr_bold(void) { return A_BOLD; }
static inline attr_t nt_attr_dim(void) { return A_DIM; }
static inline attr_t nt_attr_reverse(void) { return A_REVERSE; }
static inline attr_t nt_attr_underline(void) { return A_UNDERLINE; }
static inline int nt_key_f0(void) { return KEY_F0; }

/// Checks TERM without touching the screen: 0 usable, -1 unknown, -2 no cursor addressing.
static inline int nt_check_terminal(void) {
  int status = 0;
  if (setupterm(NULL, STDOUT_FILENO, &status) != OK) return -1;
  char *cup = tigetstr("cup");
  int canAddress = cup != NULL && cup != (char *)-1;
  del_curterm(cur_term);
  return canAddress ? 0 : -2;
}

/// Writes one cell: up to five scalars (a base and its combining marks) with
/// attributes and an extended colour pair (passed through setcchar's opts).
static inline int nt_put_cell(int y, int x, const wchar_t *text, attr_t attributes, int pair) {
  cchar_t cell;
  if (setcchar(&cell, text, attributes, 0, &pair) == ERR) return ERR;
  return mvadd_wch(y, x, &cell);
}

/// Reads one key or character; returns OK, KEY_CODE_YES or ERR (timeout).
static inline int nt_get_wch(int *value) {
  wint_t received = 0;
  int status = wget_wch(stdscr, &received);
  *value = (int)received;
  return status;
}

/// Turns mouse reports on (clicks and the wheel) or off, in whatever encoding the terminfo
/// declares (X10 under tmux's TERM, SGR where the entry has it); returns 1 when the
/// terminal reports any.
static inline int nt_set_mouse(int on) {
  mmask_t wanted = on ? (BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0;
  // Presses and releases as they come: no waiting to merge them into clicks.
  mouseinterval(0);
  return mousemask(wanted, NULL) != 0;
}

/// Reads the mouse report behind a KEY_MOUSE: 1 left press, 2 left release, 3 wheel up,
/// 4 wheel down, 0 anything else; -1 when there is none. The cell goes to x and y.
static inline int nt_read_mouse(int *x, int *y) {
  MEVENT event;
  if (getmouse(&event) != OK) return -1;
  *x = event.x;
  *y = event.y;
  if (event.bstate & BUTTON1_PRESSED) return 1;
  if (event.bstate & BUTTON1_RELEASED) return 2;
  if (event.bstate & BUTTON4_PRESSED) return 3;
  if (event.bstate & BUTTON5_PRESSED) return 4;
  return 0;
}

static inline void nt_ignore_signal(int signal_number) { signal(signal_number, SIG_IGN); }
static inline void nt_default_signal(int signal_number) { signal(signal_number, SIG_DFL); }

/// Restores the terminal, then lets the crash proceed with the default action.
static inline void nt_restore_and_reraise(int signal_number) {
  endwin();
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

// Every signal whose default action ends the process, but the four the UI turns into a
// quit (SIGINT, SIGTERM, SIGHUP, SIGQUIT): crashes, and the ones nobody expects (SIGUSR1, SIGPIPE …).
static const int nt_crash_signals[] = {
  SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
  SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
};

/// Installs handlers that put the terminal back before a crash or a stray signal kills the
/// process; the signal's default action then ends it (status 128 + n).
static inline void nt_install_crash_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = nt_restore_and_reraise;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_NODEFER;
  for (size_t i = 0; i < sizeof nt_crash_signals / sizeof nt_crash_signals[0]; i++) {
    sigaction(nt_crash_signals[i], &action, NULL);
  }
}

static inline void nt_remove_crash_handlers(void) {
  for (size_t i = 0; i < sizeof nt_crash_signals / sizeof nt_crash_signals[0]; i++) {
    signal(nt_crash_signals[i], SIG_DFL);
  }
}

static inline void nt_restore_at_exit(void) {
  if (!isendwin()) endwin();
}

/// Makes any exit() path (argument errors, early returns) leave the terminal usable.
static inline void nt_register_exit_restore(void) { atexit(nt_restore_at_exit); }

#endif
