/* dbw-demo-gen.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dbw-demo-gen"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>

/* Build-time generator of the demo project's sources:
 *
 *   pcb/pcb-NNN.png     photo-like inspection images of printed circuit
 *                       boards, with defects whose boxes are ground truth
 *   documents/NAME.pdf  radiation-protection paperwork (procedures, calibration
 *                       certificates, an incident report, a memo, a record)
 *   readings.csv        survey-instrument readings (RFC 4180, CRLF, UTF-8)
 *   manifest.json       what was generated, with the labels
 *
 * Images are rendered on worker threads, one GRand per image, so the output
 * does not depend on scheduling; the PNG encoder is our own (GIO's zlib)
 * because cairo's is several times slower on noisy, photo-like pixels.
 *
 * Everything derives from fixed seeds, so two runs write the same bytes
 * (given the same fonts and library versions).
 *
 * Usage: dbw-demo-gen [--minimal] OUTPUT_DIR [STAMP_FILE]
 */

#define DEMO_SEED       20260311u
#define IMAGE_WIDTH     1600
#define IMAGE_HEIGHT    1200
#define N_IMAGES        24
#define N_READINGS      1500

/* Board drawing works in millimetres; the clearance between copper features. */
#define CLEARANCE       0.16
#define GRID_RES        0.1

/* Small helpers */

typedef struct
{
  double x;
  double y;
} Pt;

typedef struct
{
  double x0;
  double y0;
  double x1;
  double y1;
} Box;

static double
rnd (GRand  *r,
     double  lo,
     double  hi)
{
  return g_rand_double_range (r, lo, hi);
}

static int
rndi (GRand *r,
      int    lo,
      int    hi)
{
  return g_rand_int_range (r, lo, hi + 1);
}

static gboolean
chance (GRand  *r,
        double  p)
{
  return g_rand_double (r) < p;
}

static double
rnd_gauss (GRand *r)
{
  return (g_rand_double (r) + g_rand_double (r) + g_rand_double (r) - 1.5) * 2.0;
}

static Box
box_centred (double cx,
             double cy,
             double w,
             double h)
{
  Box b = { cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2 };
  return b;
}

static gboolean
box_overlap (const Box *a,
             const Box *b,
             double     margin)
{
  return a->x0 < b->x1 + margin && b->x0 < a->x1 + margin &&
         a->y0 < b->y1 + margin && b->y0 < a->y1 + margin;
}

static gboolean
box_contains (const Box *outer,
              const Box *inner)
{
  return inner->x0 >= outer->x0 && inner->x1 <= outer->x1 &&
         inner->y0 >= outer->y0 && inner->y1 <= outer->y1;
}

static void
box_add_point (Box    *b,
               double  x,
               double  y)
{
  b->x0 = MIN (b->x0, x);
  b->y0 = MIN (b->y0, y);
  b->x1 = MAX (b->x1, x);
  b->y1 = MAX (b->y1, y);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
set_grey (cairo_t *cr,
          double   v,
          double   a)
{
  cairo_set_source_rgba (cr, v, v, v, a);
}

static void
add_stop_grey (cairo_pattern_t *p,
               double           offset,
               double           v)
{
  cairo_pattern_add_color_stop_rgb (p, offset, v, v * 1.01, v * 1.03);
}

/* A closed smooth curve through @pts (Catmull-Rom turned into Béziers). */
static void
smooth_closed_path (cairo_t  *cr,
                    const Pt *pts,
                    int       n)
{
  cairo_new_sub_path (cr);
  cairo_move_to (cr, pts[0].x, pts[0].y);
  for (int i = 0; i < n; i++)
    {
      const Pt *p0 = &pts[(i + n - 1) % n];
      const Pt *p1 = &pts[i];
      const Pt *p2 = &pts[(i + 1) % n];
      const Pt *p3 = &pts[(i + 2) % n];

      cairo_curve_to (cr,
                      p1->x + (p2->x - p0->x) / 6, p1->y + (p2->y - p0->y) / 6,
                      p2->x - (p3->x - p1->x) / 6, p2->y - (p3->y - p1->y) / 6,
                      p2->x, p2->y);
    }
  cairo_close_path (cr);
}

/* Points of an irregular blob around (cx, cy). */
static void
blob_points (GRand  *r,
             double  cx,
             double  cy,
             double  rx,
             double  ry,
             double  rough,
             Pt     *pts,
             int     n)
{
  double phase = rnd (r, 0, 2 * G_PI);
  double k1 = rnd (r, 0, rough);
  double k2 = rnd (r, 0, rough);

  for (int i = 0; i < n; i++)
    {
      double a = 2 * G_PI * i / n;
      double f = 1 + k1 * sin (2 * a + phase) + k2 * sin (3 * a - phase) + rnd (r, -rough, rough) * 0.6;

      f = MAX (f, 0.35);
      pts[i].x = cx + cos (a) * rx * f;
      pts[i].y = cy + sin (a) * ry * f;
    }
}

/* Boards, components and layout */

typedef struct
{
  const char *name;
  double      sub[3];     /* solder mask over bare laminate */
  double      cu[3];      /* solder mask over copper */
  double      laminate[3];
} MaskStyle;

static const MaskStyle mask_styles[] = {
  { "green",      { 0.050, 0.255, 0.120 }, { 0.150, 0.420, 0.160 }, { 0.62, 0.60, 0.42 } },
  { "dark-green", { 0.045, 0.185, 0.100 }, { 0.115, 0.320, 0.140 }, { 0.58, 0.56, 0.40 } },
  { "blue",       { 0.030, 0.110, 0.310 }, { 0.130, 0.310, 0.600 }, { 0.60, 0.60, 0.50 } },
  { "black",      { 0.050, 0.055, 0.060 }, { 0.115, 0.120, 0.125 }, { 0.45, 0.44, 0.36 } },
};

typedef enum
{
  FLAVOUR_POWER,
  FLAVOUR_MCU,
  FLAVOUR_ANALOG,
  FLAVOUR_DRIVE,
} Flavour;

typedef struct
{
  const char *name;
  const char *silk;
  const char *rev;
  const char *maker;
  int         mask;
  gboolean    enig;
  Flavour     flavour;
} BoardSpec;

static const BoardSpec board_specs[] = {
  { "PSU-24V rev C",    "PSU-24V",    "REV C", "NORTHFIELD INSTRUMENTS", 0, FALSE, FLAVOUR_POWER },
  { "MCU-CTRL rev B",   "MCU-CTRL",   "REV B", "NFI ELECTRONICS",        2, TRUE,  FLAVOUR_MCU },
  { "GM-COUNTER rev A", "GM-COUNTER", "REV A", "NORTHFIELD INSTRUMENTS", 1, FALSE, FLAVOUR_ANALOG },
  { "MOTOR-DRV rev D",  "MOTOR-DRV",  "REV D", "NFI ELECTRONICS",        3, TRUE,  FLAVOUR_DRIVE },
  { "SENSOR-IF rev 2",  "SENSOR-IF",  "REV 2", "NORTHFIELD INSTRUMENTS", 0, TRUE,  FLAVOUR_ANALOG },
  { "LED-DRV rev A",    "LED-DRV",    "REV A", "NFI ELECTRONICS",        2, FALSE, FLAVOUR_POWER },
};

static const char * const cameras[] = {
  "AOI-2 inspection station, 12 MP colour, ring light",
  "Stereo microscope with 5 MP USB camera, LED ring",
  "Bench inspection camera IC-400, coaxial light",
};

typedef enum
{
  KIND_CHIP_R,
  KIND_CHIP_C,
  KIND_CHIP_FB,
  KIND_LED,
  KIND_SOD123,
  KIND_SOT23,
  KIND_SOIC,
  KIND_TSSOP,
  KIND_QFP,
  KIND_ECAP_SMD,
  KIND_ECAP_TH,
  KIND_INDUCTOR,
  KIND_DRUM,
  KIND_HEADER,
  KIND_TERMINAL,
  KIND_CRYSTAL,
  KIND_DPAK,
  KIND_TESTPOINT,
  KIND_FIDUCIAL,
  KIND_MOUNT,
  N_KINDS
} Kind;

typedef enum
{
  DEFECT_NONE,
  DEFECT_SOLDER_BRIDGE,
  DEFECT_MISSING,
  DEFECT_TOMBSTONE,
  DEFECT_SCRATCH,
  DEFECT_BURN,
  DEFECT_COLD_JOINT,
  DEFECT_LIFTED_PIN,
  DEFECT_CONTAMINATION,
  N_DEFECTS
} DefectClass;

static const char * const defect_names[N_DEFECTS] = {
  "none",
  "solder_bridge",
  "missing_component",
  "tombstone",
  "scratch",
  "burn_mark",
  "cold_solder_joint",
  "lifted_pin",
  "contamination",
};

typedef struct
{
  double   x;
  double   y;
  double   w;
  double   h;
  double   ox;            /* outward direction, local */
  double   oy;
  gboolean round;
  gboolean lead;          /* a gull-wing lead sits on it */
  gboolean hidden;        /* under the body (through-hole parts) */
  gboolean connected;
} Pad;

#define MAX_PADS 64

typedef struct
{
  Kind        kind;
  char        ref[12];
  double      x;
  double      y;
  int         rot;        /* quarter turns */
  int         size;       /* variant */
  double      L;          /* body along local x */
  double      W;          /* body along local y */
  double      T;          /* height, for shadows */
  double      cap;        /* end cap length of chips */
  double      pitch;
  double      lead_w;
  double      lead_tip;   /* distance of the lead tips from the centre */
  int         pins_side;
  int         n_pads;
  Pad         pads[MAX_PADS];
  Box         keep;       /* board coordinates, body and pads */
  double      clear;      /* room kept free around it for routing */
  double      tone;       /* colour variation */
  int         colour;
  char        mark1[16];
  char        mark2[16];
  DefectClass defect;
  int         defect_pin;
  int         defect_variant;
} Comp;

typedef struct
{
  const char *code;
  double      L;
  double      W;
  double      T;
  double      cap;
  double      pad_in;
  double      pad_out;
  double      pad_w;
} ChipSize;

static const ChipSize chip_sizes[] = {
  { "0603", 1.60, 0.80, 0.45, 0.30, 0.35, 1.25, 0.95 },
  { "0805", 2.00, 1.25, 0.60, 0.40, 0.50, 1.50, 1.35 },
  { "1206", 3.20, 1.60, 0.60, 0.50, 1.00, 2.10, 1.80 },
  { "1210", 3.20, 2.50, 1.00, 0.50, 1.00, 2.10, 2.70 },
};

typedef struct
{
  Pt     p[12];
  int    n;
  double w;
} Trace;

typedef struct
{
  double   x;
  double   y;
  double   r;
  double   hole;
  gboolean tented;
  gboolean gnd;
} Via;

typedef struct
{
  Box      box;           /* board coordinates */
  char     text[24];
  double   size;
  gboolean vertical;
} Label;

typedef struct
{
  DefectClass cls;
  char        ref[12];
  char        desc[120];
  gboolean    hull;       /* pts is a point set; the polygon is its hull */
  int         n;
  Pt          pts[96];    /* device pixels */
} Defect;

enum {
  CELL_BLOCK  = 1 << 0,
  CELL_COPPER = 1 << 1,
  CELL_COMP   = 1 << 2,
};

typedef struct
{
  double  x0;
  double  y0;
  int     w;
  int     h;
  guint8 *cells;
} Grid;

typedef struct
{
  int              index;
  GRand           *rand;
  const BoardSpec *spec;
  const MaskStyle *mask;
  gboolean         bottom;
  const char      *camera;
  double           bw;
  double           bh;
  double           corner_r;
  double           scale;
  double           angle;
  double           vx;
  double           vy;
  cairo_matrix_t   to_dev;
  Box              view;
  Box              area;
  GArray          *comps;
  GArray          *traces;
  GArray          *vias;
  GArray          *labels;
  GArray          *defects;
  Grid             grid;
  gboolean         pour;
  Box              pour_box;
  gboolean         outline_chips;
  gboolean         labels_rotate;
  double           label_size;
  int              next_ref[8];
  double           light_x;
  double           light_y;
  int              n_planned;
  DefectClass      planned[4];
  PangoLayout     *layout;
  char            *file;
  GError          *error;
} Img;

static void
grid_init (Grid      *g,
           const Box *area)
{
  g->x0 = area->x0;
  g->y0 = area->y0;
  g->w = (int) ceil ((area->x1 - area->x0) / GRID_RES) + 1;
  g->h = (int) ceil ((area->y1 - area->y0) / GRID_RES) + 1;
  g->cells = g_new0 (guint8, (gsize) g->w * (gsize) g->h);
}

static void
grid_mark_capsule (Grid   *g,
                   Pt      a,
                   Pt      b,
                   double  r,
                   guint8  flags)
{
  int i0 = (int) floor ((MIN (a.x, b.x) - r - g->x0) / GRID_RES);
  int i1 = (int) ceil ((MAX (a.x, b.x) + r - g->x0) / GRID_RES);
  int j0 = (int) floor ((MIN (a.y, b.y) - r - g->y0) / GRID_RES);
  int j1 = (int) ceil ((MAX (a.y, b.y) + r - g->y0) / GRID_RES);
  double dx = b.x - a.x;
  double dy = b.y - a.y;
  double len2 = dx * dx + dy * dy;

  i0 = MAX (i0, 0);
  j0 = MAX (j0, 0);
  i1 = MIN (i1, g->w - 1);
  j1 = MIN (j1, g->h - 1);

  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      {
        double px = g->x0 + i * GRID_RES;
        double py = g->y0 + j * GRID_RES;
        double t = len2 > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0;
        double qx, qy;

        t = CLAMP (t, 0, 1);
        qx = a.x + t * dx - px;
        qy = a.y + t * dy - py;
        if (qx * qx + qy * qy <= r * r)
          g->cells[j * g->w + i] |= flags;
      }
}

static void
grid_mark_box (Grid      *g,
               const Box *b,
               guint8     flags)
{
  int i0 = MAX ((int) floor ((b->x0 - g->x0) / GRID_RES), 0);
  int i1 = MIN ((int) ceil ((b->x1 - g->x0) / GRID_RES), g->w - 1);
  int j0 = MAX ((int) floor ((b->y0 - g->y0) / GRID_RES), 0);
  int j1 = MIN ((int) ceil ((b->y1 - g->y0) / GRID_RES), g->h - 1);

  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      g->cells[j * g->w + i] |= flags;
}

/* Whether a disc is free of @mask cells; outside the grid counts as taken. */
static gboolean
grid_disc_free (const Grid *g,
                double      x,
                double      y,
                double      r,
                guint8      mask)
{
  int i0 = (int) floor ((x - r - g->x0) / GRID_RES);
  int i1 = (int) ceil ((x + r - g->x0) / GRID_RES);
  int j0 = (int) floor ((y - r - g->y0) / GRID_RES);
  int j1 = (int) ceil ((y + r - g->y0) / GRID_RES);

  if (i0 < 0 || j0 < 0 || i1 >= g->w || j1 >= g->h)
    return FALSE;

  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      {
        double px = g->x0 + i * GRID_RES - x;
        double py = g->y0 + j * GRID_RES - y;

        if (px * px + py * py <= r * r && (g->cells[j * g->w + i] & mask) != 0)
          return FALSE;
      }

  return TRUE;
}

static gboolean
grid_get (const Grid *g,
          double      x,
          double      y,
          guint8      mask)
{
  int i = (int) lround ((x - g->x0) / GRID_RES);
  int j = (int) lround ((y - g->y0) / GRID_RES);

  if (i < 0 || j < 0 || i >= g->w || j >= g->h)
    return FALSE;
  return (g->cells[j * g->w + i] & mask) != 0;
}

static void
local_to_board (const Comp *c,
                double      lx,
                double      ly,
                double     *bx,
                double     *by)
{
  double x = lx;
  double y = ly;

  switch (c->rot & 3)
    {
    case 1: x = -ly; y = lx; break;
    case 2: x = -lx; y = -ly; break;
    case 3: x = ly; y = -lx; break;
    case 0:
    default:
      break;
    }

  *bx = c->x + x;
  *by = c->y + y;
}

/* Board-coordinate box of a local rectangle centred on (lx, ly). */
static Box
comp_local_box (const Comp *c,
                double      lx,
                double      ly,
                double      w,
                double      h)
{
  double x0, y0, x1, y1;

  local_to_board (c, lx - w / 2, ly - h / 2, &x0, &y0);
  local_to_board (c, lx + w / 2, ly + h / 2, &x1, &y1);

  return (Box) { MIN (x0, x1), MIN (y0, y1), MAX (x0, x1), MAX (y0, y1) };
}

static Box
pad_board_box (const Comp *c,
               const Pad  *p)
{
  return comp_local_box (c, p->x, p->y, p->w, p->h);
}

static void
pad_outward_board (const Comp *c,
                   const Pad  *p,
                   double     *ox,
                   double     *oy)
{
  double x0, y0, x1, y1;

  local_to_board (c, 0, 0, &x0, &y0);
  local_to_board (c, p->ox, p->oy, &x1, &y1);
  *ox = x1 - x0;
  *oy = y1 - y0;
}

static Pad *
pad_add (Comp   *c,
         double  x,
         double  y,
         double  w,
         double  h,
         double  ox,
         double  oy)
{
  Pad *p;

  g_assert (c->n_pads < MAX_PADS);
  p = &c->pads[c->n_pads++];
  memset (p, 0, sizeof *p);
  p->x = x;
  p->y = y;
  p->w = w;
  p->h = h;
  p->ox = ox;
  p->oy = oy;

  return p;
}

/* Pins along local x on both long sides: pin 1 bottom left, counter-clockwise. */
static void
comp_dual_row (Comp   *c,
               int     per_side,
               double  pitch,
               double  lead_w,
               double  tip,
               double  pad_len,
               double  pad_w)
{
  double span = (per_side - 1) * pitch;
  double pc = tip + 0.35 - pad_len / 2;

  c->pitch = pitch;
  c->pins_side = per_side;
  c->lead_w = lead_w;
  c->lead_tip = tip;

  for (int i = 0; i < per_side; i++)
    pad_add (c, -span / 2 + i * pitch, pc, pad_w, pad_len, 0, 1)->lead = TRUE;
  for (int i = 0; i < per_side; i++)
    pad_add (c, span / 2 - i * pitch, -pc, pad_w, pad_len, 0, -1)->lead = TRUE;
}

static void
comp_quad (Comp   *c,
           int     per_side,
           double  pitch,
           double  lead_w,
           double  tip,
           double  pad_len,
           double  pad_w)
{
  double span = (per_side - 1) * pitch;
  double pc = tip + 0.35 - pad_len / 2;

  c->pitch = pitch;
  c->pins_side = per_side;
  c->lead_w = lead_w;
  c->lead_tip = tip;

  for (int i = 0; i < per_side; i++)      /* left side, top to bottom */
    pad_add (c, -pc, -span / 2 + i * pitch, pad_len, pad_w, -1, 0)->lead = TRUE;
  for (int i = 0; i < per_side; i++)      /* bottom, left to right */
    pad_add (c, -span / 2 + i * pitch, pc, pad_w, pad_len, 0, 1)->lead = TRUE;
  for (int i = 0; i < per_side; i++)      /* right, bottom to top */
    pad_add (c, pc, span / 2 - i * pitch, pad_len, pad_w, 1, 0)->lead = TRUE;
  for (int i = 0; i < per_side; i++)      /* top, right to left */
    pad_add (c, span / 2 - i * pitch, -pc, pad_w, pad_len, 0, -1)->lead = TRUE;
}

static const char * const r_marks[] = { "103", "102", "472", "221", "4701", "1002", "330", "R100", "000", "512", "1001", "682" };
static const char * const l_marks[] = { "4R7", "100", "220", "101", "2R2", "470" };
static const char * const soic_marks[][2] = {
  { "LM358", "2319A" }, { "TL072C", "K4Q8" }, { "NE555", "P21A" }, { "MAX232", "ECPE" },
  { "LM2596", "S-5.0" }, { "OPA2134", "UA" }, { "74HC14D", "HT2227" }, { "24LC256", "I/SN" },
  { "UC3843B", "G31" }, { "IR2104S", "E321P" }, { "AD8606", "#2316" },
};
static const char * const tssop_marks[][2] = {
  { "ADS1115", "BOGI" }, { "74LVC245", "LV245" }, { "TPS2121", "2121" }, { "MCP3208", "2314" },
};
static const char * const qfp_marks[][2] = {
  { "STM32F103", "C8T6" }, { "ATMEGA32U4", "AU 2318" }, { "LPC1768", "FBD44" }, { "GD32F303", "CCT6" },
};
static const char * const dpak_marks[] = { "IRFR024N", "AOD4184", "MJD44H11", "LM1117", "IRLR2905" };
static const char * const crystal_marks[] = { "16.000", "8.000", "12.000", "25.000" };
static const char * const sot_marks[] = { "1AM", "A7W", "J3Y", "6A", "LB", "702" };

/* Fills pads, body size and markings for a kind. */
static void
comp_build (Comp  *c,
            GRand *r)
{
  c->n_pads = 0;
  c->mark1[0] = c->mark2[0] = '\0';
  c->tone = rnd (r, -1, 1);
  c->colour = rndi (r, 0, 3);

  switch (c->kind)
    {
    case KIND_CHIP_R:
    case KIND_CHIP_C:
    case KIND_CHIP_FB:
    case KIND_LED:
      {
        const ChipSize *s = &chip_sizes[c->size];
        double pc = (s->pad_in + s->pad_out) / 2;
        double pl = s->pad_out - s->pad_in;

        c->L = s->L;
        c->W = s->W;
        c->T = s->T;
        c->cap = s->cap;
        pad_add (c, -pc, 0, pl, s->pad_w, -1, 0);
        pad_add (c, pc, 0, pl, s->pad_w, 1, 0);
        if (c->kind == KIND_CHIP_R && c->size > 0)
          g_strlcpy (c->mark1, r_marks[rndi (r, 0, G_N_ELEMENTS (r_marks) - 1)], sizeof c->mark1);
        if (c->kind == KIND_CHIP_C && c->size == 3)
          c->T = 1.6;
      }
      break;

    case KIND_SOD123:
      c->L = 2.7;
      c->W = 1.6;
      c->T = 1.1;
      c->lead_w = 0.6;
      c->lead_tip = 1.85;
      pad_add (c, -1.7, 0, 1.0, 1.2, -1, 0)->lead = TRUE;
      pad_add (c, 1.7, 0, 1.0, 1.2, 1, 0)->lead = TRUE;
      break;

    case KIND_SOT23:
      c->L = 2.9;
      c->W = 1.3;
      c->T = 1.0;
      c->lead_w = 0.42;
      c->lead_tip = 1.2;
      pad_add (c, -0.95, 1.1, 0.8, 0.95, 0, 1)->lead = TRUE;
      pad_add (c, 0.95, 1.1, 0.8, 0.95, 0, 1)->lead = TRUE;
      pad_add (c, 0, -1.1, 0.8, 0.95, 0, -1)->lead = TRUE;
      g_strlcpy (c->mark1, sot_marks[rndi (r, 0, G_N_ELEMENTS (sot_marks) - 1)], sizeof c->mark1);
      break;

    case KIND_SOIC:
      {
        int per_side = c->size == 0 ? 4 : c->size == 1 ? 7 : 8;
        int m = rndi (r, 0, G_N_ELEMENTS (soic_marks) - 1);

        c->L = per_side * 1.27 - 0.2;
        c->W = 3.9;
        c->T = 1.5;
        comp_dual_row (c, per_side, 1.27, 0.42, 3.0, 1.75, 0.62);
        g_strlcpy (c->mark1, soic_marks[m][0], sizeof c->mark1);
        g_strlcpy (c->mark2, soic_marks[m][1], sizeof c->mark2);
      }
      break;

    case KIND_TSSOP:
      {
        int per_side = c->size == 0 ? 8 : 10;
        int m = rndi (r, 0, G_N_ELEMENTS (tssop_marks) - 1);

        c->L = per_side * 0.65 + 0.3;
        c->W = 4.4;
        c->T = 1.1;
        comp_dual_row (c, per_side, 0.65, 0.28, 3.2, 1.5, 0.42);
        g_strlcpy (c->mark1, tssop_marks[m][0], sizeof c->mark1);
        g_strlcpy (c->mark2, tssop_marks[m][1], sizeof c->mark2);
      }
      break;

    case KIND_QFP:
      {
        int per_side = c->size == 0 ? 8 : c->size == 1 ? 11 : 12;
        double pitch = c->size == 2 ? 0.5 : 0.8;
        double body = c->size == 0 ? 7.0 : c->size == 1 ? 10.0 : 7.0;
        int m = rndi (r, 0, G_N_ELEMENTS (qfp_marks) - 1);

        c->L = body;
        c->W = body;
        c->T = 1.6;
        comp_quad (c, per_side, pitch, pitch == 0.5 ? 0.22 : 0.37, body / 2 + 1.0, 1.5, pitch == 0.5 ? 0.3 : 0.5);
        g_strlcpy (c->mark1, qfp_marks[m][0], sizeof c->mark1);
        g_strlcpy (c->mark2, qfp_marks[m][1], sizeof c->mark2);
      }
      break;

    case KIND_ECAP_SMD:
      {
        static const double diam[] = { 5.0, 6.3, 8.0 };
        static const char * const caps[] = { "10", "22", "47", "100", "220", "470" };
        static const char * const volts[] = { "16V", "25V", "35V", "50V" };
        double d = diam[c->size];

        c->L = d + 0.3;
        c->W = d + 0.3;
        c->T = d == 8.0 ? 10.0 : 5.5;
        c->lead_w = d * 0.12;
        c->lead_tip = d / 2 + 0.9;
        pad_add (c, -(d / 2 - 0.2), 0, 2.6, 1.7, -1, 0)->lead = TRUE;
        pad_add (c, d / 2 - 0.2, 0, 2.6, 1.7, 1, 0)->lead = TRUE;
        g_strlcpy (c->mark1, caps[rndi (r, 0, G_N_ELEMENTS (caps) - 1)], sizeof c->mark1);
        g_strlcpy (c->mark2, volts[rndi (r, 0, G_N_ELEMENTS (volts) - 1)], sizeof c->mark2);
      }
      break;

    case KIND_ECAP_TH:
      {
        static const double diam[] = { 8.0, 10.0, 12.5 };
        static const double lead_space[] = { 3.5, 5.0, 5.0 };
        double d = diam[c->size];

        c->L = d;
        c->W = d;
        c->T = d * 1.6;
        pad_add (c, -lead_space[c->size] / 2, 0, 1.9, 1.9, -1, 0)->hidden = TRUE;
        pad_add (c, lead_space[c->size] / 2, 0, 1.9, 1.9, 1, 0)->hidden = TRUE;
        c->pads[0].round = c->pads[1].round = TRUE;
      }
      break;

    case KIND_INDUCTOR:
      {
        static const double side[] = { 6.0, 8.0, 10.0, 12.0 };
        double s = side[c->size];

        c->L = s;
        c->W = s;
        c->T = s * 0.5;
        pad_add (c, -(s / 2 - 0.6), 0, 2.4, s * 0.55, -1, 0);
        pad_add (c, s / 2 - 0.6, 0, 2.4, s * 0.55, 1, 0);
        g_strlcpy (c->mark1, l_marks[rndi (r, 0, G_N_ELEMENTS (l_marks) - 1)], sizeof c->mark1);
      }
      break;

    case KIND_DRUM:
      {
        double d = c->size == 0 ? 7.8 : 10.0;

        c->L = d;
        c->W = d;
        c->T = d * 0.55;
        pad_add (c, -(d / 2 - 0.8), 0, 2.4, 2.6, -1, 0);
        pad_add (c, d / 2 - 0.8, 0, 2.4, 2.6, 1, 0);
      }
      break;

    case KIND_HEADER:
      {
        int n = rndi (r, 3, 8);
        int rows = c->size == 0 ? 1 : 2;

        c->pitch = 2.54;
        c->pins_side = n;
        c->L = n * 2.54;
        c->W = rows * 2.54;
        c->T = 8.5;
        for (int row = 0; row < rows; row++)
          for (int i = 0; i < n; i++)
            {
              Pad *p = pad_add (c, -c->L / 2 + 1.27 + i * 2.54, -c->W / 2 + 1.27 + row * 2.54, 1.7, 1.7, 0, 1);
              p->round = TRUE;
              p->hidden = TRUE;
            }
      }
      break;

    case KIND_TERMINAL:
      {
        int n = rndi (r, 2, 3);

        c->pitch = 5.08;
        c->pins_side = n;
        c->L = n * 5.08;
        c->W = 7.6;
        c->T = 10.0;
        for (int i = 0; i < n; i++)
          {
            Pad *p = pad_add (c, -c->L / 2 + 2.54 + i * 5.08, 0.6, 2.4, 2.4, 0, 1);
            p->round = TRUE;
            p->hidden = TRUE;
          }
      }
      break;

    case KIND_CRYSTAL:
      c->L = 11.0;
      c->W = 4.6;
      c->T = 3.5;
      c->lead_w = 1.0;
      c->lead_tip = 6.0;
      pad_add (c, -5.0, 0, 2.6, 2.0, -1, 0)->lead = TRUE;
      pad_add (c, 5.0, 0, 2.6, 2.0, 1, 0)->lead = TRUE;
      g_strlcpy (c->mark1, crystal_marks[rndi (r, 0, G_N_ELEMENTS (crystal_marks) - 1)], sizeof c->mark1);
      break;

    case KIND_DPAK:
      c->L = 6.5;
      c->W = 6.1;
      c->T = 2.3;
      c->lead_w = 0.8;
      c->lead_tip = c->W / 2 + 2.7;
      pad_add (c, 0, -2.5, 6.2, 4.0, 0, -1);
      pad_add (c, -2.28, c->W / 2 + 1.8, 1.2, 2.2, 0, 1)->lead = TRUE;
      pad_add (c, 2.28, c->W / 2 + 1.8, 1.2, 2.2, 0, 1)->lead = TRUE;
      g_strlcpy (c->mark1, dpak_marks[rndi (r, 0, G_N_ELEMENTS (dpak_marks) - 1)], sizeof c->mark1);
      break;

    case KIND_TESTPOINT:
      c->L = c->W = 0;
      pad_add (c, 0, 0, 1.6, 1.6, 0, 1)->round = TRUE;
      break;

    case KIND_FIDUCIAL:
      c->L = c->W = 0;
      pad_add (c, 0, 0, 1.0, 1.0, 0, 1)->round = TRUE;
      break;

    case KIND_MOUNT:
      c->L = c->W = 6.2;
      pad_add (c, 0, 0, 6.2, 6.2, 0, 1)->round = TRUE;
      break;

    case N_KINDS:
    default:
      g_assert_not_reached ();
    }

  /* The keep-out box covers body and pads. */
  {
    Box k = comp_local_box (c, 0, 0, c->L, c->W);

    if (c->kind == KIND_FIDUCIAL)
      k = comp_local_box (c, 0, 0, 3.0, 3.0);

    for (int i = 0; i < c->n_pads; i++)
      {
        Box pb = pad_board_box (c, &c->pads[i]);

        box_add_point (&k, pb.x0, pb.y0);
        box_add_point (&k, pb.x1, pb.y1);
      }
    if (c->kind == KIND_DPAK)
      {
        Box tab = comp_local_box (c, 0, -c->W / 2 - 0.5, 5.4, 1.0);

        box_add_point (&k, tab.x0, tab.y0);
        box_add_point (&k, tab.x1, tab.y1);
      }
    c->keep = k;
  }
}

static const char *
kind_prefix (Kind kind,
             int *slot)
{
  switch (kind)
    {
    case KIND_CHIP_R:    *slot = 0; return "R";
    case KIND_CHIP_C:
    case KIND_ECAP_SMD:
    case KIND_ECAP_TH:   *slot = 1; return "C";
    case KIND_CHIP_FB:
    case KIND_INDUCTOR:
    case KIND_DRUM:      *slot = 2; return "L";
    case KIND_LED:
    case KIND_SOD123:    *slot = 3; return "D";
    case KIND_SOT23:
    case KIND_DPAK:      *slot = 4; return "Q";
    case KIND_SOIC:
    case KIND_TSSOP:
    case KIND_QFP:       *slot = 5; return "U";
    case KIND_HEADER:
    case KIND_TERMINAL:  *slot = 6; return "J";
    case KIND_CRYSTAL:   *slot = 7; return "Y";
    case KIND_TESTPOINT: *slot = 7; return "TP";
    case KIND_FIDUCIAL:
    case KIND_MOUNT:
    case N_KINDS:
    default:
      *slot = -1;
      return NULL;
    }
}

static gboolean
kind_is_chip (Kind kind)
{
  return kind == KIND_CHIP_R || kind == KIND_CHIP_C || kind == KIND_CHIP_FB || kind == KIND_LED;
}

static gboolean
kind_is_ic (Kind kind)
{
  return kind == KIND_SOIC || kind == KIND_TSSOP || kind == KIND_QFP;
}

/* Whether traces may end on its pads (through-hole pads sit under bodies). */
static gboolean
kind_takes_traces (Kind kind)
{
  return kind != KIND_MOUNT && kind != KIND_FIDUCIAL && kind != KIND_HEADER &&
         kind != KIND_TERMINAL && kind != KIND_ECAP_TH;
}

/* Places a component if it fits; returns its index or -1. */
static int
place (Img    *img,
       Kind    kind,
       int     size,
       double  x,
       double  y,
       int     rot,
       double  margin)
{
  Comp c;
  Box inner = { 1.2, 1.2, img->bw - 1.2, img->bh - 1.2 };
  int slot;
  const char *prefix;

  memset (&c, 0, sizeof c);
  c.kind = kind;
  c.size = size;
  c.x = round (x * 20) / 20;
  c.y = round (y * 20) / 20;
  c.rot = rot;
  comp_build (&c, img->rand);

  if (!box_contains (&inner, &c.keep))
    return -1;
  if (!box_overlap (&c.keep, &img->area, 0) || !box_contains (&img->area, &c.keep))
    return -1;

  c.clear = margin;
  for (guint i = 0; i < img->comps->len; i++)
    {
      const Comp *o = &g_array_index (img->comps, Comp, i);
      double m = MAX (margin, o->clear);

      if (o->kind == KIND_MOUNT || kind == KIND_MOUNT)
        m = MAX (m, 1.2);
      if (box_overlap (&c.keep, &o->keep, m))
        return -1;
    }

  prefix = kind_prefix (kind, &slot);
  if (prefix != NULL)
    {
      g_snprintf (c.ref, sizeof c.ref, "%s%d", prefix, img->next_ref[slot]);
      img->next_ref[slot] += chance (img->rand, 0.8) ? 1 : rndi (img->rand, 2, 4);
    }

  g_array_append_val (img->comps, c);
  return (int) img->comps->len - 1;
}

/* Decoupling parts may sit closer to their IC than anything else. */
static int
place_near_ic (Img    *img,
               Kind    kind,
               int     size,
               double  x,
               double  y,
               int     rot,
               int     ic)
{
  Comp *c = &g_array_index (img->comps, Comp, ic);
  double clear = c->clear;
  int idx;

  c->clear = 0.45;
  idx = place (img, kind, size, x, y, rot, 0.45);
  g_array_index (img->comps, Comp, ic).clear = clear;

  return idx;
}

static void
pick_chip_kind (Img  *img,
                Kind *kind,
                int  *size)
{
  GRand *r = img->rand;
  double u = g_rand_double (r);

  if (u < 0.46)
    *kind = KIND_CHIP_R;
  else if (u < 0.88)
    *kind = KIND_CHIP_C;
  else if (u < 0.94)
    *kind = KIND_CHIP_FB;
  else
    *kind = KIND_LED;

  u = g_rand_double (r);
  *size = u < 0.35 ? 0 : u < 0.85 ? 1 : 2;
  if (*kind == KIND_CHIP_C && chance (r, 0.08))
    *size = 3;
  if (*kind == KIND_LED)
    *size = 1;
}

/* Decoupling capacitors and pull-ups along the sides of an IC. */
static void
place_around_ic (Img *img,
                 int  ic)
{
  GRand *r = img->rand;
  Comp c = g_array_index (img->comps, Comp, ic);
  int n = rndi (r, 2, c.kind == KIND_QFP ? 9 : 5);

  for (int k = 0; k < n * 4; k++)
    {
      int side = rndi (r, 0, 3);
      double d;
      Kind kind;
      int size;
      double x, y;
      int rot;

      pick_chip_kind (img, &kind, &size);
      if (kind == KIND_LED)
        kind = KIND_CHIP_C;
      size = MIN (size, 1);
      d = chip_sizes[size].pad_out + rnd (r, 1.4, 3.2);

      switch (side)
        {
        case 0:
          x = c.keep.x0 - d;
          y = rnd (r, c.keep.y0, c.keep.y1);
          rot = 1;
          break;
        case 1:
          x = c.keep.x1 + d;
          y = rnd (r, c.keep.y0, c.keep.y1);
          rot = 1;
          break;
        case 2:
          x = rnd (r, c.keep.x0, c.keep.x1);
          y = c.keep.y0 - d;
          rot = 0;
          break;
        default:
          x = rnd (r, c.keep.x0, c.keep.x1);
          y = c.keep.y1 + d;
          rot = 0;
          break;
        }
      if (chance (r, 0.3))
        rot ^= 1;
      if (place_near_ic (img, kind, size, x, y, rot, ic) >= 0 && --n == 0)
        break;
    }
}

/* A neat row of identical passives. */
static void
place_row (Img    *img,
           double  x,
           double  y)
{
  GRand *r = img->rand;
  Kind kind;
  int size;
  int n = rndi (r, 3, 7);
  int rot = rndi (r, 0, 1);
  double pitch;

  pick_chip_kind (img, &kind, &size);
  if (kind == KIND_LED && chance (r, 0.5))
    kind = KIND_CHIP_R;
  pitch = chip_sizes[size].pad_w + rnd (r, 0.5, 0.9);

  for (int i = 0; i < n; i++)
    {
      double px = rot == 0 ? x : x + i * pitch;
      double py = rot == 0 ? y + i * pitch : y;

      place (img, kind, size, px, py, rot, 0.3);
    }
}

static void
layout_components (Img *img)
{
  GRand *r = img->rand;
  const BoardSpec *spec = img->spec;
  Box *a = &img->area;
  double aw = a->x1 - a->x0;
  double ah = a->y1 - a->y0;
  int n_ic;

  for (int i = 0; i < 8; i++)
    img->next_ref[i] = i == 5 || i == 6 || i == 7 ? rndi (r, 1, 6) : rndi (r, 1, 40);

  /* Mounting holes in the corners and fiducials. */
  {
    double in = 4.5;
    const Pt corners[] = { { in, in }, { img->bw - in, in }, { in, img->bh - in }, { img->bw - in, img->bh - in } };

    for (int i = 0; i < 4; i++)
      place (img, KIND_MOUNT, 0, corners[i].x, corners[i].y, 0, 1.0);
    for (int i = 0; i < 3; i++)
      {
        /* Separate statements keep the order of draws fixed. */
        double x = rnd (r, a->x0 + 4, a->x1 - 4);
        double y = rnd (r, a->y0 + 4, a->y1 - 4);

        place (img, KIND_FIDUCIAL, 0, x, y, 0, 1.0);
      }
  }

  /* Connectors along the board edges. */
  if (!img->bottom)
    {
      int n_conn = rndi (r, 1, 3);

      for (int k = 0; k < n_conn * 10 && n_conn > 0; k++)
        {
          gboolean term = spec->flavour == FLAVOUR_POWER || spec->flavour == FLAVOUR_DRIVE ? chance (r, 0.6) : chance (r, 0.15);
          Kind kind = term ? KIND_TERMINAL : KIND_HEADER;
          int edge = rndi (r, 0, 3);
          double x, y;
          int rot;

          switch (edge)
            {
            case 0: x = rnd (r, 10, img->bw - 10); y = term ? 5.2 : 3.0; rot = term ? 2 : 0; break;
            case 1: x = rnd (r, 10, img->bw - 10); y = img->bh - (term ? 5.2 : 3.0); rot = 0; break;
            case 2: x = term ? 5.2 : 3.0; y = rnd (r, 10, img->bh - 10); rot = term ? 1 : 1; break;
            default: x = img->bw - (term ? 5.2 : 3.0); y = rnd (r, 10, img->bh - 10); rot = term ? 3 : 1; break;
            }
          if (place (img, kind, chance (r, 0.3) ? 1 : 0, x, y, rot, 1.0) >= 0)
            n_conn--;
        }
    }

  /* Integrated circuits. */
  n_ic = img->bottom ? rndi (r, 0, 1) : rndi (r, 1, 3);
  for (int k = 0, placed = 0; k < 60 && placed < n_ic; k++)
    {
      Kind kind = KIND_SOIC;
      int size = rndi (r, 0, 2);
      int idx;
      double mx = MIN (12.0, aw / 4);
      double my = MIN (12.0, ah / 4);
      double x, y;
      int rot;

      if (placed == 0 && spec->flavour == FLAVOUR_MCU)
        {
          kind = KIND_QFP;
          size = rndi (r, 0, 2);
        }
      else if (chance (r, 0.3))
        {
          kind = KIND_TSSOP;
          size = rndi (r, 0, 1);
        }

      x = rnd (r, a->x0 + mx, a->x1 - mx);
      y = rnd (r, a->y0 + my, a->y1 - my);
      rot = rndi (r, 0, 3);
      idx = place (img, kind, size, x, y, rot, 2.5);
      if (idx >= 0)
        {
          placed++;
          place_around_ic (img, idx);
        }
    }

  /* Bulky parts according to the kind of board. */
  if (!img->bottom)
    {
      int n_big = spec->flavour == FLAVOUR_POWER || spec->flavour == FLAVOUR_DRIVE ? rndi (r, 4, 7) : rndi (r, 2, 4);

      for (int k = 0; k < 80 && n_big > 0; k++)
        {
          double u = g_rand_double (r);
          Kind kind;
          int size;
          double x, y;
          int rot;

          switch (spec->flavour)
            {
            case FLAVOUR_POWER:
              kind = u < 0.30 ? KIND_ECAP_TH : u < 0.50 ? KIND_INDUCTOR : u < 0.62 ? KIND_DRUM :
                     u < 0.80 ? KIND_DPAK : KIND_ECAP_SMD;
              break;
            case FLAVOUR_DRIVE:
              kind = u < 0.45 ? KIND_DPAK : u < 0.65 ? KIND_ECAP_TH : u < 0.80 ? KIND_ECAP_SMD : KIND_INDUCTOR;
              break;
            case FLAVOUR_MCU:
              kind = u < 0.35 ? KIND_CRYSTAL : u < 0.70 ? KIND_ECAP_SMD : KIND_SOT23;
              break;
            case FLAVOUR_ANALOG:
            default:
              kind = u < 0.45 ? KIND_ECAP_SMD : u < 0.65 ? KIND_DRUM : u < 0.8 ? KIND_SOT23 : KIND_ECAP_TH;
              break;
            }
          switch (kind)
            {
            case KIND_ECAP_SMD: size = rndi (r, 0, 2); break;
            case KIND_ECAP_TH:  size = rndi (r, 0, 2); break;
            case KIND_INDUCTOR: size = rndi (r, 0, 3); break;
            case KIND_DRUM:     size = rndi (r, 0, 1); break;
            case KIND_CHIP_R:
            case KIND_CHIP_C:
            case KIND_CHIP_FB:
            case KIND_LED:
            case KIND_SOD123:
            case KIND_SOT23:
            case KIND_SOIC:
            case KIND_TSSOP:
            case KIND_QFP:
            case KIND_HEADER:
            case KIND_TERMINAL:
            case KIND_CRYSTAL:
            case KIND_DPAK:
            case KIND_TESTPOINT:
            case KIND_FIDUCIAL:
            case KIND_MOUNT:
            case N_KINDS:
            default:
              size = 0;
              break;
            }
          x = rnd (r, a->x0 + 5, a->x1 - 5);
          y = rnd (r, a->y0 + 5, a->y1 - 5);
          rot = rndi (r, 0, 3);
          if (place (img, kind, size, x, y, rot, 1.4) >= 0)
            n_big--;
        }
    }

  /* Rows of passives, then a fill of small parts. */
  for (int k = 0, n = rndi (r, 2, 5); k < n; k++)
    {
      double x = rnd (r, a->x0 + 3, a->x1 - 3);
      double y = rnd (r, a->y0 + 3, a->y1 - 3);

      place_row (img, x, y);
    }

  /* Parts snap to a placement grid and mostly share the orientation of
   * their neighbourhood, as on a real layout. */
  {
    int attempts = (int) (aw * ah / (img->bottom ? 5.0 : 7.0));
    double gx = rnd (r, 0, 1.27), gy = rnd (r, 0, 1.27);
    double cell_w = rnd (r, 10, 20), cell_h = rnd (r, 8, 16);

    for (int k = 0; k < attempts; k++)
      {
        double u = g_rand_double (r);
        Kind kind;
        int size = 0;
        double x = round ((rnd (r, a->x0 + 2, a->x1 - 2) - gx) / 1.27) * 1.27 + gx;
        double y = round ((rnd (r, a->y0 + 2, a->y1 - 2) - gy) / 1.27) * 1.27 + gy;
        int rot = ((int) floor (x / cell_w) + (int) floor (y / cell_h)) & 1;

        if (chance (r, 0.2))
          rot ^= 1;
        if (u < 0.80)
          pick_chip_kind (img, &kind, &size);
        else if (u < 0.88)
          kind = KIND_SOT23;
        else if (u < 0.95)
          kind = KIND_SOD123;
        else
          kind = KIND_TESTPOINT;

        place (img, kind, size, x, y, rot + (chance (r, 0.15) ? 2 : 0), 0.9);
      }
  }
}

/* Routing */

static double
path_length (const Pt *p,
             int       n)
{
  double len = 0;

  for (int i = 1; i < n; i++)
    len += hypot (p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);

  return len;
}

static Pt
path_point_at (const Pt *p,
               int       n,
               double    s)
{
  for (int i = 1; i < n; i++)
    {
      double l = hypot (p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);

      if (s <= l && l > 0)
        {
          double t = s / l;
          return (Pt) { p[i - 1].x + t * (p[i].x - p[i - 1].x), p[i - 1].y + t * (p[i].y - p[i - 1].y) };
        }
      s -= l;
    }

  return p[n - 1];
}

/* Cuts the polyline at arc length @s. */
static void
path_truncate (Pt     *p,
               int    *n,
               double  s)
{
  for (int i = 1; i < *n; i++)
    {
      double l = hypot (p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);

      if (s <= l)
        {
          double t = l > 0 ? s / l : 0;

          p[i].x = p[i - 1].x + t * (p[i].x - p[i - 1].x);
          p[i].y = p[i - 1].y + t * (p[i].y - p[i - 1].y);
          *n = i + 1;
          return;
        }
      s -= l;
    }
}

/* Drops repeated points and replaces right-angle corners by two 45° bends. */
static void
path_tidy (Pt  *p,
           int *n,
           int  max)
{
  int m = 0;

  for (int i = 0; i < *n; i++)
    if (m == 0 || hypot (p[i].x - p[m - 1].x, p[i].y - p[m - 1].y) > 1e-3)
      p[m++] = p[i];
  *n = m;

  for (int i = 1; i + 1 < *n && *n < max; i++)
    {
      double ax = p[i].x - p[i - 1].x, ay = p[i].y - p[i - 1].y;
      double bx = p[i + 1].x - p[i].x, by = p[i + 1].y - p[i].y;
      double la = hypot (ax, ay), lb = hypot (bx, by);
      double k;

      if (fabs ((ax * bx + ay * by) / (la * lb)) > 0.05)
        continue;

      k = MIN (0.5, MIN (la, lb) / 2);
      memmove (&p[i + 1], &p[i], sizeof (Pt) * (*n - i));
      (*n)++;
      p[i + 1].x = p[i].x + bx / lb * k;
      p[i + 1].y = p[i].y + by / lb * k;
      p[i].x -= ax / la * k;
      p[i].y -= ay / la * k;
      i++;
    }
}

/* Arc length of the clear part of a path of half width @r. */
static double
path_free_prefix (const Grid *g,
                  const Pt   *p,
                  int         n,
                  double      r,
                  double      skip0,
                  double      skip1)
{
  double total = path_length (p, n);

  for (double s = 0; s <= total; s += 0.08)
    {
      Pt q;

      if (s < skip0 || s > total - skip1)
        continue;
      q = path_point_at (p, n, s);
      if (!grid_disc_free (g, q.x, q.y, r, CELL_BLOCK))
        return MAX (s - 0.08, 0);
    }

  return total;
}

static void
add_via (Img      *img,
         double    x,
         double    y,
         double    r,
         gboolean  tented)
{
  Via v = { x, y, r, r * 0.5, tented, FALSE };

  g_array_append_val (img->vias, v);
  grid_mark_capsule (&img->grid, (Pt) { x, y }, (Pt) { x, y }, r + CLEARANCE, CELL_BLOCK);
  grid_mark_capsule (&img->grid, (Pt) { x, y }, (Pt) { x, y }, r, CELL_COPPER);
}

static void
commit_trace (Img      *img,
              const Pt *p,
              int       n,
              double    w)
{
  Trace t;

  memset (&t, 0, sizeof t);
  memcpy (t.p, p, sizeof (Pt) * n);
  t.n = n;
  t.w = w;
  g_array_append_val (img->traces, t);

  for (int i = 1; i < n; i++)
    {
      grid_mark_capsule (&img->grid, p[i - 1], p[i], w / 2 + CLEARANCE, CELL_BLOCK);
      grid_mark_capsule (&img->grid, p[i - 1], p[i], w / 2, CELL_COPPER);
    }
}

/* Routes @p (from a pad) and ends it on a via, shortened if something is in
 * the way. */
static gboolean
route_to_via (Img    *img,
              Pt     *p,
              int     n,
              double  w,
              double  skip0,
              double  via_r)
{
  double total, free, cut;

  path_tidy (p, &n, 12);
  total = path_length (p, n);
  free = path_free_prefix (&img->grid, p, n, w / 2, skip0, 0);
  cut = free >= total ? total : free - 0.1;

  for (; cut > skip0 + 0.25; cut -= 0.1)
    {
      Pt q = path_point_at (p, n, cut);

      if (grid_disc_free (&img->grid, q.x, q.y, via_r, CELL_BLOCK))
        break;
    }
  if (cut <= skip0 + 0.25)
    return FALSE;

  path_truncate (p, &n, cut);
  commit_trace (img, p, n, w);
  add_via (img, p[n - 1].x, p[n - 1].y, via_r, chance (img->rand, 0.7));

  return TRUE;
}

static double
pad_half_along (const Pad *p)
{
  return fabs (p->ox) * p->w / 2 + fabs (p->oy) * p->h / 2;
}

/* How far along a trace leaving a pad the clearance checks start. */
static double
pad_skip (const Pad *p,
          double     w)
{
  return pad_half_along (p) + w / 2 + CLEARANCE + 0.25;
}

static void
mark_components (Img *img)
{
  for (guint i = 0; i < img->comps->len; i++)
    {
      const Comp *c = &g_array_index (img->comps, Comp, i);
      Box k = c->keep;

      k.x0 -= CLEARANCE;
      k.y0 -= CLEARANCE;
      k.x1 += CLEARANCE;
      k.y1 += CLEARANCE;
      grid_mark_box (&img->grid, &k, CELL_BLOCK | CELL_COMP);

      for (int j = 0; j < c->n_pads; j++)
        if (!c->pads[j].hidden)
          {
            Box pb = pad_board_box (c, &c->pads[j]);
            grid_mark_box (&img->grid, &pb, CELL_COPPER);
          }
    }
}

static void
escape_pad (Img    *img,
            Comp   *c,
            Pad    *pad,
            double  w)
{
  GRand *r = img->rand;
  double ox, oy, px, py;
  double half = pad_half_along (pad);
  Pt p[12];
  int n = 0;
  double s = rnd (r, 0.9, 2.2);

  pad_outward_board (c, pad, &ox, &oy);
  local_to_board (c, pad->x, pad->y, &px, &py);

  p[n++] = (Pt) { px, py };
  p[n] = (Pt) { px + ox * (half + s), py + oy * (half + s) };
  n++;
  if (chance (r, 0.65))
    {
      double sg = chance (r, 0.5) ? 1 : -1;
      double dx = (ox - sg * oy) * G_SQRT2 / 2;
      double dy = (oy + sg * ox) * G_SQRT2 / 2;
      double l = rnd (r, 0.6, 3.0);

      p[n] = (Pt) { p[n - 1].x + dx * l, p[n - 1].y + dy * l };
      n++;
      if (chance (r, 0.6))
        {
          double l2 = rnd (r, 0.5, 3.5);

          if (chance (r, 0.5))
            p[n] = (Pt) { p[n - 1].x + ox * l2, p[n - 1].y + oy * l2 };
          else
            p[n] = (Pt) { p[n - 1].x - sg * oy * l2, p[n - 1].y + sg * ox * l2 };
          n++;
        }
    }

  if (route_to_via (img, p, n, w, pad_skip (pad, w), 0.3))
    pad->connected = TRUE;
}

/* An octilinear connection from pad A to pad B through two short stubs. */
static gboolean
connect_pads (Img    *img,
              Comp   *ca,
              Pad    *pa,
              Comp   *cb,
              Pad    *pb,
              double  w,
              int     variant)
{
  double ax, ay, bx, by, aox, aoy, box_, boy;
  double ha = pad_half_along (pa), hb = pad_half_along (pb);
  Pt p[12];
  int n = 0;
  Pt a1, b1, m;
  double dx, dy, adx, ady;

  local_to_board (ca, pa->x, pa->y, &ax, &ay);
  local_to_board (cb, pb->x, pb->y, &bx, &by);
  pad_outward_board (ca, pa, &aox, &aoy);
  pad_outward_board (cb, pb, &box_, &boy);

  a1 = (Pt) { ax + aox * (ha + 0.45), ay + aoy * (ha + 0.45) };
  b1 = (Pt) { bx + box_ * (hb + 0.45), by + boy * (hb + 0.45) };
  dx = b1.x - a1.x;
  dy = b1.y - a1.y;
  adx = fabs (dx);
  ady = fabs (dy);

  if (variant == 0)
    {
      if (adx > ady)
        m = (Pt) { a1.x + (dx > 0 ? 1 : -1) * (adx - ady), a1.y };
      else
        m = (Pt) { a1.x, a1.y + (dy > 0 ? 1 : -1) * (ady - adx) };
    }
  else
    {
      double d = MIN (adx, ady);
      m = (Pt) { a1.x + (dx > 0 ? d : -d), a1.y + (dy > 0 ? d : -d) };
    }

  p[n++] = (Pt) { ax, ay };
  p[n++] = a1;
  p[n++] = m;
  p[n++] = b1;
  p[n++] = (Pt) { bx, by };
  path_tidy (p, &n, 12);

  /* No hairpins. */
  for (int i = 1; i + 1 < n; i++)
    {
      double ux = p[i].x - p[i - 1].x, uy = p[i].y - p[i - 1].y;
      double vx = p[i + 1].x - p[i].x, vy = p[i + 1].y - p[i].y;

      if (ux * vx + uy * vy < 0)
        return FALSE;
    }
  if (path_length (p, n) > 18)
    return FALSE;

  if (path_free_prefix (&img->grid, p, n, w / 2, pad_skip (pa, w), pad_skip (pb, w)) < path_length (p, n))
    return FALSE;

  commit_trace (img, p, n, w);
  pa->connected = pb->connected = TRUE;
  return TRUE;
}

static void
fanout_ic (Img  *img,
           Comp *c)
{
  GRand *r = img->rand;
  int sides = c->kind == KIND_QFP ? 4 : 2;
  double w = c->pitch < 0.6 ? 0.2 : 0.25;

  for (int s = 0; s < sides; s++)
    {
      int sigma = rndi (r, -1, 1);
      double a0 = rnd (r, 0.3, 1.0);
      double shift = rnd (r, 0.8, 3.5);
      double l3 = rnd (r, 0.8, 4.0);
      int m = (int) ceil ((0.6 + 2 * CLEARANCE + w) / c->pitch);
      int first = s * c->pins_side;

      for (int k = 0; k < c->pins_side; k++)
        {
          /* k counts from the pin furthest in the direction of the shift. */
          int idx = sigma >= 0 ? first + k : first + c->pins_side - 1 - k;
          Pad *pad = &c->pads[idx];
          double half = pad_half_along (pad);
          double ox, oy, px, py, tx, ty, a;
          Pt p[12];
          int n = 0;

          if (chance (r, 0.18))
            continue;

          pad_outward_board (c, pad, &ox, &oy);
          local_to_board (c, pad->x, pad->y, &px, &py);
          /* Lateral unit vector pointing towards lower pin numbers on this side. */
          {
            const Pad *ref = &c->pads[first];
            const Pad *last = &c->pads[first + c->pins_side - 1];
            double x0, y0, x1, y1;

            local_to_board (c, ref->x, ref->y, &x0, &y0);
            local_to_board (c, last->x, last->y, &x1, &y1);
            tx = x0 - x1;
            ty = y0 - y1;
            a = hypot (tx, ty);
            tx /= a;
            ty /= a;
          }

          p[n++] = (Pt) { px, py };
          if (sigma == 0)
            {
              double l = half + a0 + l3 + (k % m) * 0.9;
              p[n++] = (Pt) { px + ox * l, py + oy * l };
            }
          else
            {
              double ak = half + a0 + k * 0.4142 * c->pitch;
              double l = l3 + (k % m) * 0.9;
              Pt p1 = { px + ox * ak, py + oy * ak };
              Pt p2 = { p1.x + (ox + sigma * tx) * shift, p1.y + (oy + sigma * ty) * shift };

              p[n++] = p1;
              p[n++] = p2;
              p[n++] = (Pt) { p2.x + ox * l, p2.y + oy * l };
            }

          if (route_to_via (img, p, n, w, pad_skip (pad, w), 0.3))
            pad->connected = TRUE;
        }
    }
}

static void
route_board (Img *img)
{
  GRand *r = img->rand;
  GArray *comps = img->comps;

  mark_components (img);

  for (guint i = 0; i < comps->len; i++)
    {
      Comp *c = &g_array_index (comps, Comp, i);

      if (kind_is_ic (c->kind))
        fanout_ic (img, c);
    }

  /* Power: wide traces between the bulky parts. */
  for (guint i = 0; i < comps->len; i++)
    {
      Comp *a = &g_array_index (comps, Comp, i);

      if (a->kind != KIND_ECAP_SMD && a->kind != KIND_INDUCTOR && a->kind != KIND_DPAK && a->kind != KIND_DRUM)
        continue;

      for (int pi = 0; pi < a->n_pads; pi++)
        {
          Pad *pa = &a->pads[pi];
          double w = rnd (r, 0.8, 1.6);

          w = MIN (w, MIN (pa->w, pa->h) * 0.8);
          if (pa->connected)
            continue;

          for (guint j = 0; j < comps->len && !pa->connected; j++)
            {
              Comp *b = &g_array_index (comps, Comp, j);

              if (j == i || !kind_takes_traces (b->kind))
                continue;
              for (int pj = 0; pj < b->n_pads && !pa->connected; pj++)
                {
                  Pad *pb = &b->pads[pj];
                  double wb = MIN (w, MIN (pb->w, pb->h) * 0.9);

                  if (pb->connected || b->kind == KIND_QFP || b->kind == KIND_TSSOP)
                    continue;
                  connect_pads (img, a, pa, b, pb, wb, rndi (r, 0, 1));
                }
            }

          if (!pa->connected)
            escape_pad (img, a, pa, w);
        }
    }

  /* Signals between small parts, else out to a via. */
  for (guint i = 0; i < comps->len; i++)
    {
      Comp *a = &g_array_index (comps, Comp, i);

      if (!kind_is_chip (a->kind) && a->kind != KIND_SOT23 && a->kind != KIND_SOD123 &&
          a->kind != KIND_TESTPOINT && a->kind != KIND_CRYSTAL)
        continue;

      for (int pi = 0; pi < a->n_pads; pi++)
        {
          Pad *pa = &a->pads[pi];
          double ax, ay;
          double w = chance (r, 0.8) ? 0.25 : 0.4;

          if (pa->connected)
            continue;

          local_to_board (a, pa->x, pa->y, &ax, &ay);
          if (chance (r, 0.9))
            for (guint j = 0; j < comps->len && !pa->connected; j++)
              {
                Comp *b = &g_array_index (comps, Comp, (i + 1 + j) % comps->len);

                if (b == a || !kind_takes_traces (b->kind))
                  continue;
                for (int pj = 0; pj < b->n_pads && !pa->connected; pj++)
                  {
                    Pad *pb = &b->pads[pj];
                    double bx, by;

                    if (pb->connected)
                      continue;
                    local_to_board (b, pb->x, pb->y, &bx, &by);
                    if (hypot (bx - ax, by - ay) > 14)
                      continue;
                    if (kind_is_ic (b->kind))
                      w = MIN (w, b->pitch < 0.6 ? 0.2 : 0.25);
                    if (!connect_pads (img, a, pa, b, pb, w, 0))
                      connect_pads (img, a, pa, b, pb, w, 1);
                  }
              }

          if (!pa->connected && chance (r, 0.95))
            escape_pad (img, a, pa, w);
        }
    }

  /* Buses crossing open areas. */
  for (int k = 0, nk = rndi (r, 4, 10); k < nk; k++)
    {
      int nb = rndi (r, 2, 7);
      gboolean horiz = chance (r, 0.5);
      double sx = rnd (r, img->area.x0 + 3, img->area.x1 - 3);
      double sy = rnd (r, img->area.y0 + 3, img->area.y1 - 3);
      double dir = chance (r, 0.5) ? 1 : -1;
      double jog = rnd (r, -4, 4);
      double l1 = rnd (r, 3, 15);
      double l2 = rnd (r, 3, 25);
      double sp = rnd (r, 0.6, 0.9);
      double w = chance (r, 0.7) ? 0.25 : 0.35;

      for (int i = 0; i < nb; i++)
        {
          double off = i * sp;
          /* Keep the lanes parallel through the jog. */
          double extra = jog > 0 ? (nb - 1 - i) * sp * 0.4142 : i * sp * 0.4142;
          Pt p[12];
          int n = 0;
          Pt s0;

          if (horiz)
            {
              s0 = (Pt) { sx, sy + off };
              p[n++] = s0;
              p[n++] = (Pt) { s0.x + dir * (l1 + extra), s0.y };
              p[n++] = (Pt) { p[1].x + dir * fabs (jog), p[1].y + jog };
              p[n++] = (Pt) { p[2].x + dir * l2, p[2].y };
            }
          else
            {
              s0 = (Pt) { sx + off, sy };
              p[n++] = s0;
              p[n++] = (Pt) { s0.x, s0.y + dir * (l1 + extra) };
              p[n++] = (Pt) { p[1].x + jog, p[1].y + dir * fabs (jog) };
              p[n++] = (Pt) { p[2].x, p[2].y + dir * l2 };
            }

          if (!grid_disc_free (&img->grid, s0.x, s0.y, 0.3, CELL_BLOCK))
            continue;
          if (route_to_via (img, p, n, w, 0, 0.3))
            add_via (img, s0.x, s0.y, 0.3, chance (r, 0.7));
        }
    }

  /* Stitching vias in the pour. */
  if (img->pour)
    {
      double step = rnd (r, 2.5, 4.0);

      for (double y = img->pour_box.y0 + 1; y < img->pour_box.y1 - 1; y += step)
        for (double x = img->pour_box.x0 + 1; x < img->pour_box.x1 - 1; x += step)
          if (chance (r, 0.55) && grid_disc_free (&img->grid, x, y, 0.3 + CLEARANCE * 2, CELL_BLOCK))
            {
              add_via (img, x, y, 0.3, TRUE);
              g_array_index (img->vias, Via, img->vias->len - 1).gnd = TRUE;
            }
    }
}

/* Drawing the board */

static const double silk_rgb[3] = { 0.93, 0.93, 0.89 };

static Defect *
defect_new (Img         *img,
            DefectClass  cls,
            const char  *ref,
            const char  *desc)
{
  Defect d;

  memset (&d, 0, sizeof d);
  d.cls = cls;
  g_strlcpy (d.ref, ref != NULL ? ref : "", sizeof d.ref);
  g_strlcpy (d.desc, desc, sizeof d.desc);
  g_array_append_val (img->defects, d);

  return &g_array_index (img->defects, Defect, img->defects->len - 1);
}

/* Adds a point given in the current user space of @cr. */
static void
defect_point (Defect  *d,
              cairo_t *cr,
              double   x,
              double   y)
{
  if (d->n >= (int) G_N_ELEMENTS (d->pts))
    return;
  cairo_user_to_device (cr, &x, &y);
  d->pts[d->n].x = x;
  d->pts[d->n].y = y;
  d->n++;
}

static void
defect_rect (Defect  *d,
             cairo_t *cr,
             double   x0,
             double   y0,
             double   x1,
             double   y1)
{
  defect_point (d, cr, x0, y0);
  defect_point (d, cr, x1, y0);
  defect_point (d, cr, x1, y1);
  defect_point (d, cr, x0, y1);
}

static void
draw_text (Img         *img,
           cairo_t     *cr,
           const char  *text,
           const char  *font,
           double       size,
           double       cx,
           double       cy,
           double       angle)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  PangoRectangle ink;

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_rotate (cr, angle);
  pango_cairo_update_layout (cr, img->layout);
  pango_layout_set_font_description (img->layout, desc);
  pango_layout_set_text (img->layout, text, -1);
  pango_layout_get_extents (img->layout, &ink, NULL);
  cairo_move_to (cr,
                 -(ink.x + ink.width / 2.0) / PANGO_SCALE,
                 -(ink.y + ink.height / 2.0) / PANGO_SCALE);
  pango_cairo_show_layout (cr, img->layout);
  cairo_restore (cr);
}

static double
text_width (Img        *img,
            cairo_t    *cr,
            const char *text,
            const char *font,
            double      size)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  PangoRectangle ink;

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_cairo_update_layout (cr, img->layout);
  pango_layout_set_font_description (img->layout, desc);
  pango_layout_set_text (img->layout, text, -1);
  pango_layout_get_extents (img->layout, &ink, NULL);

  return (double) ink.width / PANGO_SCALE;
}

static cairo_surface_t *
noise_tile (GRand  *r,
            int     size,
            double  amount)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  for (int y = 0; y < size; y++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + y * stride);

      for (int x = 0; x < size; x++)
        {
          double n = rnd_gauss (r) * amount;
          guint32 a = (guint32) CLAMP (fabs (n) * 255, 0, 255);
          guint32 v = n > 0 ? a : 0;

          row[x] = (a << 24) | (v << 16) | (v << 8) | v;
        }
    }
  cairo_surface_mark_dirty (s);

  return s;
}

/* Paints a repeated noise tile in device space, @cell device pixels per texel. */
static void
paint_noise (cairo_t         *cr,
             cairo_surface_t *tile,
             double           cell,
             double           alpha)
{
  cairo_pattern_t *p = cairo_pattern_create_for_surface (tile);
  cairo_matrix_t m;

  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_matrix_init_scale (&m, 1.0 / cell, 1.0 / cell);
  cairo_pattern_set_matrix (p, &m);
  cairo_pattern_set_extend (p, CAIRO_EXTEND_REPEAT);
  cairo_pattern_set_filter (p, cell > 1 ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
  cairo_set_source (cr, p);
  cairo_paint_with_alpha (cr, alpha);
  cairo_restore (cr);
  cairo_pattern_destroy (p);
}

static void
board_path (Img     *img,
            cairo_t *cr,
            double   inset)
{
  rounded_rect (cr, inset, inset, img->bw - 2 * inset, img->bh - 2 * inset, MAX (img->corner_r - inset, 0.05));
}

static void
set_rgb_scaled (cairo_t      *cr,
                const double  c[3],
                double        k)
{
  cairo_set_source_rgb (cr, MIN (c[0] * k, 1), MIN (c[1] * k, 1), MIN (c[2] * k, 1));
}

/* Soft shadow of a rounded rectangle; the offset is in the light direction. */
static void
shadow_rect (Img     *img,
             cairo_t *cr,
             const Comp *c,
             double   x,
             double   y,
             double   w,
             double   h,
             double   r,
             double   height,
             double   alpha)
{
  double off = MIN (height * 0.16, 2.2);
  double bx = -img->light_x * off, by = -img->light_y * off;
  double lx = bx, ly = by;
  double blur = 0.08 + off * 0.35;

  /* Undo the component rotation for the offset. */
  switch (c != NULL ? c->rot & 3 : 0)
    {
    case 1: lx = by; ly = -bx; break;
    case 2: lx = -bx; ly = -by; break;
    case 3: lx = -by; ly = bx; break;
    case 0:
    default:
      break;
    }

  for (int i = 3; i >= 0; i--)
    {
      double e = blur * i / 3.0;

      rounded_rect (cr, x + lx - e, y + ly - e, w + 2 * e, h + 2 * e, r + e);
      cairo_set_source_rgba (cr, 0, 0, 0.02, alpha / 3.0);
      cairo_fill (cr);
    }
}

static void
shadow_circle (Img     *img,
               cairo_t *cr,
               double   cx,
               double   cy,
               double   rad,
               double   height,
               double   alpha)
{
  double off = MIN (height * 0.16, 2.2);
  double blur = 0.1 + off * 0.4;

  for (int i = 3; i >= 0; i--)
    {
      cairo_arc (cr, cx - img->light_x * off, cy - img->light_y * off, rad + blur * i / 3.0, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0, 0, 0.02, alpha / 3.0);
      cairo_fill (cr);
    }
}

/* The surface finish of a pad: hot-air levelled tin or gold. */
static void
fill_finish (Img      *img,
             cairo_t  *cr,
             double    x,
             double    y,
             double    w,
             double    h,
             gboolean  round)
{
  cairo_pattern_t *p = cairo_pattern_create_linear (x, y, x + w, y + h);

  if (img->spec->enig)
    {
      cairo_pattern_add_color_stop_rgb (p, 0.0, 0.86, 0.70, 0.40);
      cairo_pattern_add_color_stop_rgb (p, 0.45, 0.96, 0.82, 0.52);
      cairo_pattern_add_color_stop_rgb (p, 1.0, 0.76, 0.60, 0.32);
    }
  else
    {
      add_stop_grey (p, 0.0, 0.66);
      add_stop_grey (p, 0.35, 0.86);
      add_stop_grey (p, 0.65, 0.72);
      add_stop_grey (p, 1.0, 0.58);
    }

  if (round)
    cairo_arc (cr, x + w / 2, y + h / 2, MIN (w, h) / 2, 0, 2 * G_PI);
  else
    rounded_rect (cr, x, y, w, h, MIN (w, h) * 0.08);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  if (!img->spec->enig)
    {
      /* Levelled tin is slightly domed: a soft highlight. */
      cairo_pattern_t *h2 = cairo_pattern_create_radial (x + w * 0.35, y + h * 0.35, 0,
                                                         x + w * 0.35, y + h * 0.35, MAX (w, h) * 0.5);

      cairo_pattern_add_color_stop_rgba (h2, 0, 1, 1, 1, 0.45);
      cairo_pattern_add_color_stop_rgba (h2, 1, 1, 1, 1, 0);
      if (round)
        cairo_arc (cr, x + w / 2, y + h / 2, MIN (w, h) / 2, 0, 2 * G_PI);
      else
        cairo_rectangle (cr, x, y, w, h);
      cairo_set_source (cr, h2);
      cairo_fill (cr);
      cairo_pattern_destroy (h2);
    }
}

/* Reflowed solder with no part on it: a shiny dome. */
static void
solder_dome (cairo_t *cr,
             double   x,
             double   y,
             double   w,
             double   h)
{
  cairo_pattern_t *p = cairo_pattern_create_radial (x + w * 0.38, y + h * 0.35, 0, x + w / 2, y + h / 2, MAX (w, h) * 0.62);

  add_stop_grey (p, 0.0, 0.98);
  add_stop_grey (p, 0.25, 0.80);
  add_stop_grey (p, 0.7, 0.52);
  add_stop_grey (p, 1.0, 0.40);
  rounded_rect (cr, x, y, w, h, MIN (w, h) * 0.35);
  cairo_set_source (cr, p);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.35);
  cairo_set_line_width (cr, 0.04);
  cairo_stroke (cr);
  cairo_pattern_destroy (p);
}

static void
draw_background (Img     *img,
                 cairo_t *cr)
{
  GRand *r = img->rand;
  static const double mats[][3] = {
    { 0.30, 0.33, 0.36 },   /* grey ESD mat */
    { 0.13, 0.20, 0.30 },   /* blue ESD mat */
    { 0.09, 0.09, 0.10 },   /* black fixture */
    { 0.42, 0.42, 0.40 },   /* light grey bench */
  };
  const double *m = mats[rndi (r, 0, G_N_ELEMENTS (mats) - 1)];
  cairo_surface_t *tile = noise_tile (r, 96, 0.15);
  cairo_pattern_t *g;

  cairo_save (cr);
  cairo_identity_matrix (cr);
  g = cairo_pattern_create_linear (0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
  cairo_pattern_add_color_stop_rgb (g, 0, m[0] * 1.15, m[1] * 1.15, m[2] * 1.15);
  cairo_pattern_add_color_stop_rgb (g, 1, m[0] * 0.8, m[1] * 0.8, m[2] * 0.8);
  cairo_set_source (cr, g);
  cairo_paint (cr);
  cairo_pattern_destroy (g);
  paint_noise (cr, tile, 2.0, 0.5);
  cairo_restore (cr);
  cairo_surface_destroy (tile);

  /* The board's shadow on the mat. */
  for (int i = 4; i >= 0; i--)
    {
      double e = i * 0.35;

      cairo_save (cr);
      cairo_translate (cr, -img->light_x * 1.2, -img->light_y * 1.2);
      rounded_rect (cr, -e, -e, img->bw + 2 * e, img->bh + 2 * e, img->corner_r + e);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.13);
      cairo_fill (cr);
      cairo_restore (cr);
    }
}

static void
stroke_path_pts (cairo_t  *cr,
                 const Pt *p,
                 int       n)
{
  cairo_move_to (cr, p[0].x, p[0].y);
  for (int i = 1; i < n; i++)
    cairo_line_to (cr, p[i].x, p[i].y);
}

static void
draw_copper_layer (Img     *img,
                   cairo_t *cr)
{
  const MaskStyle *ms = img->mask;

  /* Laminate showing at the routed edge, then the mask. */
  board_path (img, cr, 0);
  set_rgb_scaled (cr, ms->laminate, 1.0);
  cairo_fill (cr);
  board_path (img, cr, 0.12);
  set_rgb_scaled (cr, ms->sub, 1.0);
  cairo_fill (cr);

  cairo_save (cr);
  board_path (img, cr, 0.12);
  cairo_clip (cr);

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  if (img->pour)
    {
      const Box *b = &img->pour_box;

      rounded_rect (cr, b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0, 0.6);
      set_rgb_scaled (cr, ms->cu, 0.97);
      cairo_fill (cr);

      /* Clearances around everything that is not ground. */
      set_rgb_scaled (cr, ms->sub, 1.0);
      for (guint i = 0; i < img->traces->len; i++)
        {
          const Trace *t = &g_array_index (img->traces, Trace, i);

          stroke_path_pts (cr, t->p, t->n);
          cairo_set_line_width (cr, t->w + 0.6);
          cairo_stroke (cr);
        }
      for (guint i = 0; i < img->comps->len; i++)
        {
          const Comp *c = &g_array_index (img->comps, Comp, i);

          for (int j = 0; j < c->n_pads; j++)
            {
              Box pb = pad_board_box (c, &c->pads[j]);

              if (c->pads[j].round)
                cairo_arc (cr, (pb.x0 + pb.x1) / 2, (pb.y0 + pb.y1) / 2, (pb.x1 - pb.x0) / 2 + 0.35, 0, 2 * G_PI);
              else
                rounded_rect (cr, pb.x0 - 0.3, pb.y0 - 0.3, pb.x1 - pb.x0 + 0.6, pb.y1 - pb.y0 + 0.6, 0.3);
              cairo_fill (cr);
            }
        }
      for (guint i = 0; i < img->vias->len; i++)
        {
          const Via *v = &g_array_index (img->vias, Via, i);

          if (v->gnd)
            continue;
          cairo_arc (cr, v->x, v->y, v->r + 0.3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }

  /* Traces under the mask: a little lighter, with soft edges. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < img->traces->len; i++)
      {
        const Trace *t = &g_array_index (img->traces, Trace, i);

        if (pass == 0)
          {
            stroke_path_pts (cr, t->p, t->n);
            set_rgb_scaled (cr, ms->cu, 0.9);
            cairo_set_line_width (cr, t->w);
            cairo_stroke (cr);
          }
        else
          {
            cairo_save (cr);
            cairo_translate (cr, img->light_x * 0.02, img->light_y * 0.02);
            stroke_path_pts (cr, t->p, t->n);
            set_rgb_scaled (cr, ms->cu, 1.05);
            cairo_set_line_width (cr, MAX (t->w - 0.07, t->w * 0.6));
            cairo_stroke (cr);
            cairo_restore (cr);
          }
      }

  /* Tented vias: a ring with a dimple. */
  for (guint i = 0; i < img->vias->len; i++)
    {
      const Via *v = &g_array_index (img->vias, Via, i);

      if (!v->tented)
        continue;
      cairo_arc (cr, v->x, v->y, v->r, 0, 2 * G_PI);
      set_rgb_scaled (cr, ms->cu, 1.08);
      cairo_fill (cr);
      cairo_arc (cr, v->x, v->y, v->hole * 0.8, 0, 2 * G_PI);
      set_rgb_scaled (cr, ms->sub, 0.55);
      cairo_fill (cr);
      cairo_arc (cr, v->x + img->light_x * 0.05, v->y + img->light_y * 0.05, v->hole * 0.4, 0, 2 * G_PI);
      set_rgb_scaled (cr, ms->cu, 1.4);
      cairo_fill (cr);
    }

  cairo_restore (cr);
}

static void
draw_mask_texture (Img     *img,
                   cairo_t *cr)
{
  cairo_surface_t *fine = noise_tile (img->rand, 128, 0.025);
  cairo_surface_t *cloud = noise_tile (img->rand, 64, 0.07);
  /* Texture shows less on the dark, glossy black mask. */
  double k = img->mask == &mask_styles[3] ? 0.45 : 1.0;

  cairo_save (cr);
  board_path (img, cr, 0.12);
  cairo_clip (cr);
  paint_noise (cr, cloud, 11.0, k);
  paint_noise (cr, fine, 1.0, k);
  cairo_restore (cr);

  cairo_surface_destroy (fine);
  cairo_surface_destroy (cloud);
}

static void
draw_pads (Img     *img,
           cairo_t *cr)
{
  const MaskStyle *ms = img->mask;

  for (guint i = 0; i < img->comps->len; i++)
    {
      const Comp *c = &g_array_index (img->comps, Comp, i);

      for (int j = 0; j < c->n_pads; j++)
        {
          const Pad *p = &c->pads[j];
          Box b = pad_board_box (c, p);
          double w = b.x1 - b.x0, h = b.y1 - b.y0;

          if (p->hidden)
            continue;

          if (c->kind == KIND_FIDUCIAL)
            {
              cairo_arc (cr, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, 1.4, 0, 2 * G_PI);
              set_rgb_scaled (cr, ms->laminate, 0.75);
              cairo_fill (cr);
            }

          /* The opening in the mask shows a thin line of laminate. */
          if (p->round)
            cairo_arc (cr, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, w / 2 + 0.05, 0, 2 * G_PI);
          else
            rounded_rect (cr, b.x0 - 0.05, b.y0 - 0.05, w + 0.1, h + 0.1, 0.05);
          set_rgb_scaled (cr, ms->laminate, 0.45);
          cairo_fill (cr);

          fill_finish (img, cr, b.x0, b.y0, w, h, p->round);

          if (c->kind == KIND_MOUNT)
            {
              double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
              cairo_pattern_t *g = cairo_pattern_create_radial (cx - img->light_x * 0.4, cy - img->light_y * 0.4, 0.2,
                                                                cx, cy, 1.65);

              cairo_pattern_add_color_stop_rgb (g, 0, 0.02, 0.02, 0.025);
              cairo_pattern_add_color_stop_rgb (g, 0.8, 0.06, 0.06, 0.07);
              cairo_pattern_add_color_stop_rgb (g, 0.92, 0.35, 0.33, 0.30);
              cairo_pattern_add_color_stop_rgb (g, 1, 0.55, 0.54, 0.52);
              cairo_arc (cr, cx, cy, 1.65, 0, 2 * G_PI);
              cairo_set_source (cr, g);
              cairo_fill (cr);
              cairo_pattern_destroy (g);
            }
        }
    }

  /* Vias left open. */
  for (guint i = 0; i < img->vias->len; i++)
    {
      const Via *v = &g_array_index (img->vias, Via, i);

      if (v->tented)
        continue;
      fill_finish (img, cr, v->x - v->r, v->y - v->r, 2 * v->r, 2 * v->r, TRUE);
      cairo_arc (cr, v->x, v->y, v->hole / 2 + 0.02, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.03, 0.03, 0.035);
      cairo_fill (cr);
    }
}

/* Silkscreen */

static gboolean
label_fits (Img       *img,
            const Box *b)
{
  Box inner = { 0.8, 0.8, img->bw - 0.8, img->bh - 0.8 };

  if (!box_contains (&inner, b))
    return FALSE;

  for (guint i = 0; i < img->comps->len; i++)
    {
      const Comp *c = &g_array_index (img->comps, Comp, i);

      if (box_overlap (b, &c->keep, 0.22))
        return FALSE;
    }
  for (guint i = 0; i < img->labels->len; i++)
    if (box_overlap (b, &g_array_index (img->labels, Label, i).box, 0.25))
      return FALSE;
  for (guint i = 0; i < img->vias->len; i++)
    {
      const Via *v = &g_array_index (img->vias, Via, i);
      Box vb = box_centred (v->x, v->y, 2 * v->r, 2 * v->r);

      if (!v->tented && box_overlap (b, &vb, 0.05))
        return FALSE;
    }

  return TRUE;
}

static void
place_ref_label (Img        *img,
                 cairo_t    *cr,
                 const Comp *c)
{
  double size = img->label_size;
  double tw = text_width (img, cr, c->ref, "DejaVu Sans Bold", size) + 0.15;
  double th = size * 0.78;
  gboolean vertical = img->labels_rotate && (c->rot & 1) && kind_is_chip (c->kind);
  double bw = vertical ? th : tw, bh = vertical ? tw : th;
  double cx = (c->keep.x0 + c->keep.x1) / 2, cy = (c->keep.y0 + c->keep.y1) / 2;
  const Pt cand[] = {
    { cx, c->keep.y0 - 0.3 - bh / 2 },
    { cx, c->keep.y1 + 0.3 + bh / 2 },
    { c->keep.x0 - 0.3 - bw / 2, cy },
    { c->keep.x1 + 0.3 + bw / 2, cy },
    { c->keep.x0 + bw / 2, c->keep.y0 - 0.3 - bh / 2 },
    { c->keep.x1 - bw / 2, c->keep.y1 + 0.3 + bh / 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cand); i++)
    {
      Label l;

      memset (&l, 0, sizeof l);
      l.box = box_centred (cand[i].x, cand[i].y, bw, bh);
      if (!label_fits (img, &l.box))
        continue;
      g_strlcpy (l.text, c->ref, sizeof l.text);
      l.size = size;
      l.vertical = vertical;
      g_array_append_val (img->labels, l);
      return;
    }
}

static void
place_free_text (Img        *img,
                 cairo_t    *cr,
                 const char *text,
                 double      size)
{
  double tw = text_width (img, cr, text, "DejaVu Sans Bold", size) + 0.2;
  double th = size * 0.8;

  for (int k = 0; k < 200; k++)
    {
      double x = rnd (img->rand, img->view.x0 + tw / 2 + 3, img->view.x1 - tw / 2 - 3);
      double y = rnd (img->rand, img->view.y0 + th / 2 + 3, img->view.y1 - th / 2 - 3);
      Label l;

      memset (&l, 0, sizeof l);
      l.box = box_centred (x, y, tw, th);
      if (!label_fits (img, &l.box))
        continue;
      g_strlcpy (l.text, text, sizeof l.text);
      l.size = size;
      g_array_append_val (img->labels, l);
      return;
    }
}

static void
silk_line (cairo_t *cr,
           double   x0,
           double   y0,
           double   x1,
           double   y1)
{
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
}

static void
silk_outline (Img        *img,
              cairo_t    *cr,
              const Comp *c)
{
  double L = c->L, W = c->W;

  cairo_save (cr);
  cairo_translate (cr, c->x, c->y);
  cairo_rotate (cr, c->rot * G_PI / 2);
  cairo_set_line_width (cr, 0.15);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_source_rgba (cr, silk_rgb[0], silk_rgb[1], silk_rgb[2], 0.92);

  switch (c->kind)
    {
    case KIND_CHIP_R:
    case KIND_CHIP_C:
    case KIND_CHIP_FB:
      if (img->outline_chips)
        {
          const ChipSize *s = &chip_sizes[c->size];
          double y = s->pad_w / 2 + 0.22;
          double x = MAX (s->pad_in - 0.2, 0.15);

          silk_line (cr, -x, -y, x, -y);
          silk_line (cr, -x, y, x, y);
          cairo_stroke (cr);
        }
      break;

    case KIND_LED:
    case KIND_SOD123:
      {
        double x = c->kind == KIND_LED ? chip_sizes[c->size].pad_out + 0.3 : 2.45;
        double y = c->kind == KIND_LED ? chip_sizes[c->size].pad_w / 2 + 0.25 : 1.05;

        silk_line (cr, x, -y, -x, -y);
        silk_line (cr, -x, -y, -x, y);
        silk_line (cr, -x, y, x, y);
        cairo_stroke (cr);
        cairo_set_line_width (cr, 0.3);
        silk_line (cr, -x + 0.25, -y + 0.1, -x + 0.25, y - 0.1);
        cairo_stroke (cr);
      }
      break;

    case KIND_SOT23:
      silk_line (cr, -1.6, -0.2, -1.6, 0.2);
      silk_line (cr, 1.6, -0.2, 1.6, 0.2);
      silk_line (cr, -0.5, 0.85, 0.5, 0.85);
      cairo_stroke (cr);
      break;

    case KIND_SOIC:
    case KIND_TSSOP:
      {
        double x = L / 2 + 0.2;
        double y = W / 2;

        silk_line (cr, -x, -y, -x, y);
        silk_line (cr, x, -y, x, y);
        silk_line (cr, -x, -y, -x + 0.6, -y);
        silk_line (cr, x, -y, x - 0.6, -y);
        silk_line (cr, -x, y, -x + 0.6, y);
        silk_line (cr, x, y, x - 0.6, y);
        cairo_stroke (cr);
        cairo_arc (cr, -x - 0.45, c->lead_tip + 0.1, 0.22, 0, 2 * G_PI);
        cairo_fill (cr);
      }
      break;

    case KIND_QFP:
      {
        double e = c->lead_tip + 0.5;
        double k = 1.0;

        for (int sx = -1; sx <= 1; sx += 2)
          for (int sy = -1; sy <= 1; sy += 2)
            {
              silk_line (cr, sx * e, sy * e, sx * (e - k), sy * e);
              silk_line (cr, sx * e, sy * e, sx * e, sy * (e - k));
            }
        cairo_stroke (cr);
        cairo_arc (cr, -e - 0.2, -c->pins_side * c->pitch / 2 - 0.2, 0.25, 0, 2 * G_PI);
        cairo_fill (cr);
      }
      break;

    case KIND_ECAP_SMD:
      {
        double h = L / 2 + 0.3;
        double ch = L * 0.25;
        double py = 1.15;

        /* Chamfered on the positive side (pad 0, local -x). */
        cairo_move_to (cr, -h, -py);
        cairo_line_to (cr, -h, -h + ch);
        cairo_line_to (cr, -h + ch, -h);
        cairo_line_to (cr, h, -h);
        cairo_line_to (cr, h, -py);
        cairo_move_to (cr, -h, py);
        cairo_line_to (cr, -h, h - ch);
        cairo_line_to (cr, -h + ch, h);
        cairo_line_to (cr, h, h);
        cairo_line_to (cr, h, py);
        cairo_stroke (cr);
        silk_line (cr, -h - 1.2, -h + 0.2, -h - 0.2, -h + 0.2);
        silk_line (cr, -h - 0.7, -h - 0.3, -h - 0.7, -h + 0.7);
        cairo_stroke (cr);
      }
      break;

    case KIND_ECAP_TH:
      cairo_arc (cr, 0, 0, L / 2 + 0.35, 0, 2 * G_PI);
      cairo_stroke (cr);
      silk_line (cr, -L / 2 - 1.5, -L / 2 + 0.3, -L / 2 - 0.5, -L / 2 + 0.3);
      silk_line (cr, -L / 2 - 1.0, -L / 2 - 0.2, -L / 2 - 1.0, -L / 2 + 0.8);
      cairo_stroke (cr);
      break;

    case KIND_INDUCTOR:
    case KIND_DRUM:
      {
        double h = L / 2 + 0.3;

        silk_line (cr, -h + 2.2, -h, h - 2.2, -h);
        silk_line (cr, -h + 2.2, h, h - 2.2, h);
        cairo_stroke (cr);
      }
      break;

    case KIND_HEADER:
    case KIND_TERMINAL:
      rounded_rect (cr, -L / 2 - 0.3, -W / 2 - 0.3, L + 0.6, W + 0.6, 0.1);
      cairo_stroke (cr);
      cairo_move_to (cr, -L / 2 - 0.3, W / 2 + 0.6);
      cairo_line_to (cr, -L / 2 + 0.5, W / 2 + 0.6);
      cairo_line_to (cr, -L / 2 + 0.1, W / 2 + 1.1);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;

    case KIND_CRYSTAL:
      rounded_rect (cr, -L / 2 - 0.3, -W / 2 - 0.3, L + 0.6, W + 0.6, W / 2);
      cairo_stroke (cr);
      break;

    case KIND_DPAK:
      silk_line (cr, -L / 2 - 0.3, -W / 2 + 0.5, -L / 2 - 0.3, W / 2 + 0.3);
      silk_line (cr, L / 2 + 0.3, -W / 2 + 0.5, L / 2 + 0.3, W / 2 + 0.3);
      cairo_stroke (cr);
      break;

    case KIND_TESTPOINT:
      cairo_arc (cr, 0, 0, 1.15, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;

    case KIND_FIDUCIAL:
    case KIND_MOUNT:
    case N_KINDS:
    default:
      break;
    }

  cairo_restore (cr);
}

static void
draw_silk (Img     *img,
           cairo_t *cr)
{
  GRand *r = img->rand;
  char buf[48];
  int year, week;

  for (guint i = 0; i < img->comps->len; i++)
    silk_outline (img, cr, &g_array_index (img->comps, Comp, i));

  /* Larger parts claim their label spot first. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < img->comps->len; i++)
      {
        const Comp *c = &g_array_index (img->comps, Comp, i);
        gboolean big = !kind_is_chip (c->kind);

        if (c->ref[0] == '\0' || (pass == 0) != big)
          continue;
        if (kind_is_chip (c->kind) && chance (r, 0.08))
          continue;
        place_ref_label (img, cr, c);
      }

  /* Board markings. */
  if (!img->bottom)
    {
      g_snprintf (buf, sizeof buf, "%s  %s", img->spec->silk, img->spec->rev);
      place_free_text (img, cr, buf, 2.0);
      place_free_text (img, cr, img->spec->maker, 1.2);
    }
  else
    place_free_text (img, cr, "BOTTOM", 1.6);
  year = rndi (r, 21, 25);
  week = rndi (r, 1, 52);
  g_snprintf (buf, sizeof buf, "%02d%02d", year, week);
  place_free_text (img, cr, buf, 1.0);
  place_free_text (img, cr, "94V-0", 0.9);
  g_snprintf (buf, sizeof buf, "E%06d", rndi (r, 100000, 499999));
  place_free_text (img, cr, buf, 0.8);
  if (chance (r, 0.6))
    place_free_text (img, cr, "+24V", 1.2);
  if (chance (r, 0.5))
    place_free_text (img, cr, "GND", 1.2);

  for (guint i = 0; i < img->labels->len; i++)
    {
      const Label *l = &g_array_index (img->labels, Label, i);

      cairo_set_source_rgba (cr, silk_rgb[0], silk_rgb[1], silk_rgb[2], 0.93);
      draw_text (img, cr, l->text, "DejaVu Sans Bold", l->size,
                 (l->box.x0 + l->box.x1) / 2, (l->box.y0 + l->box.y1) / 2,
                 l->vertical ? -G_PI / 2 : 0);
    }
}

/* Components */

static void
metal_linear (cairo_t *cr,
              double   x0,
              double   y0,
              double   x1,
              double   y1,
              double   lo,
              double   hi)
{
  cairo_pattern_t *p = cairo_pattern_create_linear (x0, y0, x1, y1);

  add_stop_grey (p, 0.0, lo + (hi - lo) * 0.35);
  add_stop_grey (p, 0.3, hi);
  add_stop_grey (p, 0.7, lo + (hi - lo) * 0.5);
  add_stop_grey (p, 1.0, lo);
  cairo_set_source (cr, p);
  cairo_pattern_destroy (p);
}

/* Dull, grainy solder that never wetted properly, in a frame where +x
 * points away from the part; the region spans [x0, x1] × [-hw, hw]. */
static void
draw_cold_blob (Img     *img,
                cairo_t *cr,
                Defect  *d,
                double   x0,
                double   x1,
                double   hw)
{
  GRand *r = img->rand;
  double cx = x0 + (x1 - x0) * 0.5;
  double rx = (x1 - x0) * 0.62 + 0.12;
  double ry = hw * 1.05;
  Pt pts[18];
  cairo_pattern_t *p;

  /* Dewetted copper shows at the edge of the pad. */
  rounded_rect (cr, x1 - (x1 - x0) * 0.35, -hw * 0.9, (x1 - x0) * 0.35, hw * 1.8, 0.05);
  cairo_set_source_rgba (cr, 0.70, 0.44, 0.26, 0.85);
  cairo_fill (cr);

  blob_points (r, cx, 0, rx, ry, 0.16, pts, G_N_ELEMENTS (pts));
  smooth_closed_path (cr, pts, G_N_ELEMENTS (pts));
  p = cairo_pattern_create_radial (cx - rx * 0.2, -ry * 0.2, 0, cx, 0, MAX (rx, ry) * 1.1);
  cairo_pattern_add_color_stop_rgb (p, 0.0, 0.52, 0.51, 0.48);
  cairo_pattern_add_color_stop_rgb (p, 0.6, 0.38, 0.37, 0.35);
  cairo_pattern_add_color_stop_rgb (p, 1.0, 0.22, 0.22, 0.21);
  cairo_set_source (cr, p);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (p);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.6);
  cairo_set_line_width (cr, 0.05);
  cairo_stroke (cr);

  /* Grain and lumps. */
  for (int i = 0; i < 60; i++)
    {
      double a = rnd (r, 0, 2 * G_PI);
      double k = sqrt (g_rand_double (r)) * 0.85;
      double g = rnd (r, 0.18, 0.62);

      cairo_arc (cr, cx + cos (a) * rx * k, sin (a) * ry * k, rnd (r, 0.03, 0.11), 0, 2 * G_PI);
      cairo_set_source_rgba (cr, g, g, g * 0.97, 0.85);
      cairo_fill (cr);
    }

  /* A crack where the joint never fused with the termination. */
  cairo_move_to (cr, x0 + 0.04, -ry * 0.8);
  cairo_curve_to (cr, x0 + 0.12, -ry * 0.3, x0 - 0.02, ry * 0.2, x0 + 0.08, ry * 0.8);
  cairo_set_source_rgba (cr, 0.05, 0.05, 0.05, 0.85);
  cairo_set_line_width (cr, 0.05);
  cairo_stroke (cr);

  for (guint i = 0; i < G_N_ELEMENTS (pts); i++)
    defect_point (d, cr, pts[i].x * 1.08 + (pts[i].x - cx) * 0.1, pts[i].y * 1.1);
  defect_rect (d, cr, x0 - 0.05, -hw, x1 + 0.05, hw);
}

/* A gull-wing (or flat) lead along +x from @base to @tip, centred on y = 0. */
static void
draw_lead (cairo_t  *cr,
           double    base,
           double    tip,
           double    w,
           gboolean  flat,
           gboolean  fillet)
{
  double len = tip - base;
  cairo_pattern_t *p;

  if (fillet)
    {
      double fx0 = base + len * (flat ? 0.25 : 0.42);
      double fx1 = tip + 0.14;

      p = cairo_pattern_create_linear (fx0, 0, fx1, 0);
      add_stop_grey (p, 0.0, 0.50);
      add_stop_grey (p, 0.18, 0.95);
      add_stop_grey (p, 0.45, 0.62);
      add_stop_grey (p, 0.8, 0.58);
      add_stop_grey (p, 1.0, 0.78);
      rounded_rect (cr, fx0, -w / 2 - 0.1, fx1 - fx0, w + 0.2, 0.12);
      cairo_set_source (cr, p);
      cairo_fill (cr);
      cairo_pattern_destroy (p);
    }

  p = cairo_pattern_create_linear (base, 0, tip, 0);
  if (flat)
    {
      add_stop_grey (p, 0.0, 0.42);
      add_stop_grey (p, 0.25, 0.86);
      add_stop_grey (p, 1.0, 0.70);
    }
  else
    {
      add_stop_grey (p, 0.0, 0.30);
      add_stop_grey (p, 0.16, 0.58);
      add_stop_grey (p, 0.30, 0.96);
      add_stop_grey (p, 0.44, 0.50);
      add_stop_grey (p, 0.56, 0.38);
      add_stop_grey (p, 0.66, 0.84);
      add_stop_grey (p, 1.0, 0.70);
    }
  cairo_rectangle (cr, base, -w / 2, len, w);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  cairo_rectangle (cr, base, -w / 2, len, w);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_set_line_width (cr, 0.03);
  cairo_stroke (cr);
}

/* Enters the frame of a pad: +x outward, origin on the line through the
 * component centre. Returns the lateral position of the pad. */
static double
enter_pad_frame (cairo_t   *cr,
                 const Pad *p)
{
  double v = -p->x * p->oy + p->y * p->ox;

  cairo_rotate (cr, atan2 (p->oy, p->ox));
  cairo_translate (cr, 0, v);

  return v;
}

static void
draw_bridge (Img     *img,
             cairo_t *cr,
             Comp    *c)
{
  GRand *r = img->rand;
  int a = c->defect_pin;
  int b = a + (c->defect_variant == 1 && (a + 2) % c->pins_side != 0 && (a + 1) % c->pins_side != 0 ? 2 : 1);
  const Pad *pa = &c->pads[a];
  const Pad *pb = &c->pads[b];
  double va, vb, lo, hi, base, u0, u1, m, mid;
  Pt pts[8];
  cairo_pattern_t *p;
  Defect *d;
  char desc[120];

  cairo_save (cr);
  cairo_rotate (cr, atan2 (pa->oy, pa->ox));
  va = -pa->x * pa->oy + pa->y * pa->ox;
  vb = -pb->x * pb->oy + pb->y * pb->ox;
  lo = MIN (va, vb);
  hi = MAX (va, vb);
  base = fabs (pa->ox) > 0 ? c->L / 2 : c->W / 2;
  u0 = base + (c->lead_tip - base) * 0.38;
  u1 = c->lead_tip + 0.12;
  m = c->lead_w / 2 + 0.1;
  mid = (lo + hi) / 2;

  pts[0] = (Pt) { u0, lo - m };
  pts[1] = (Pt) { (u0 + u1) / 2, lo - m - 0.04 };
  pts[2] = (Pt) { u1, lo - m * 0.6 };
  pts[3] = (Pt) { u1 - 0.18 * (u1 - u0), mid };
  pts[4] = (Pt) { u1, hi + m * 0.6 };
  pts[5] = (Pt) { (u0 + u1) / 2, hi + m + 0.04 };
  pts[6] = (Pt) { u0, hi + m };
  pts[7] = (Pt) { u0 + 0.12 * (u1 - u0) + rnd (r, 0, 0.05), mid };

  smooth_closed_path (cr, pts, G_N_ELEMENTS (pts));
  p = cairo_pattern_create_linear (u0, 0, u1, 0);
  add_stop_grey (p, 0.0, 0.55);
  add_stop_grey (p, 0.25, 0.97);
  add_stop_grey (p, 0.5, 0.70);
  add_stop_grey (p, 0.8, 0.55);
  add_stop_grey (p, 1.0, 0.72);
  cairo_set_source (cr, p);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (p);
  cairo_set_source_rgba (cr, 0.08, 0.08, 0.08, 0.55);
  cairo_set_line_width (cr, 0.05);
  cairo_stroke (cr);

  /* Specular streaks along the bridge. */
  cairo_move_to (cr, u0 + (u1 - u0) * 0.3, lo);
  cairo_curve_to (cr, u0 + (u1 - u0) * 0.22, mid - 0.1, u0 + (u1 - u0) * 0.22, mid + 0.1, u0 + (u1 - u0) * 0.3, hi);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, 0.08);
  cairo_stroke (cr);

  if (b == a + 1)
    g_snprintf (desc, sizeof desc, "Solder bridge between pins %d and %d", a + 1, b + 1);
  else
    g_snprintf (desc, sizeof desc, "Solder bridge across pins %d to %d", a + 1, b + 1);
  d = defect_new (img, DEFECT_SOLDER_BRIDGE, c->ref, desc);
  d->hull = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (pts); i++)
    defect_point (d, cr, pts[i].x + (pts[i].x > (u0 + u1) / 2 ? 0.05 : -0.05), pts[i].y + (pts[i].y > mid ? 0.06 : -0.06));
  cairo_restore (cr);
}

static void
draw_leads (Img     *img,
            cairo_t *cr,
            Comp    *c,
            gboolean flat)
{
  for (int i = 0; i < c->n_pads; i++)
    {
      const Pad *p = &c->pads[i];
      double base, tip = c->lead_tip;
      gboolean lifted = c->defect == DEFECT_LIFTED_PIN && c->defect_pin == i;
      gboolean cold = c->defect == DEFECT_COLD_JOINT && c->defect_pin == i;

      if (!p->lead)
        continue;

      base = fabs (p->ox) > 0 ? c->L / 2 : c->W / 2;

      cairo_save (cr);
      enter_pad_frame (cr, p);

      if (lifted)
        {
          double pin = fabs (p->ox) > 0 ? p->w : p->h;
          double pout = fabs (p->ox) > 0 ? fabs (p->x) + p->w / 2 : fabs (p->y) + p->h / 2;
          double pw = fabs (p->ox) > 0 ? p->h : p->w;
          double ang = (c->defect_variant ? 1 : -1) * 0.42;
          Defect *d;
          char desc[120];

          solder_dome (cr, pout - pin + 0.05, -pw / 2 + 0.04, pin - 0.1, pw - 0.08);

          /* The lead's shadow on the pad, then the lead bent up and aside. */
          cairo_save (cr);
          cairo_translate (cr, base, 0);
          cairo_rotate (cr, ang);
          cairo_translate (cr, -base, 0);
          cairo_save (cr);
          cairo_translate (cr, 0.3, 0.25);
          cairo_rectangle (cr, base + 0.2, -c->lead_w / 2, tip + 0.5 - base - 0.2, c->lead_w);
          cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
          cairo_fill (cr);
          cairo_restore (cr);
          draw_lead (cr, base, tip + 0.5, c->lead_w * 1.1, flat, FALSE);
          /* The raised foot is closer to the light. */
          cairo_rectangle (cr, tip - 0.2, -c->lead_w * 0.55, 0.7, c->lead_w * 1.1);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.45);
          cairo_fill (cr);

          g_snprintf (desc, sizeof desc, "Pin %d lifted off its pad, no solder joint", i + 1);
          d = defect_new (img, DEFECT_LIFTED_PIN, c->ref, desc);
          d->hull = TRUE;
          defect_rect (d, cr, base + 0.1, -c->lead_w * 0.55 - 0.05, tip + 0.85, c->lead_w * 0.55 + 0.35);
          cairo_restore (cr);
          defect_rect (d, cr, pout - pin, -pw / 2, pout + 0.05, pw / 2);
        }
      else if (cold)
        {
          Defect *d = defect_new (img, DEFECT_COLD_JOINT, c->ref, "Cold joint: dull, grainy solder that did not wet the lead");
          double pout = fabs (p->ox) > 0 ? fabs (p->x) + p->w / 2 : fabs (p->y) + p->h / 2;
          double pw = fabs (p->ox) > 0 ? p->h : p->w;

          d->hull = TRUE;
          draw_lead (cr, base, tip, c->lead_w, flat, FALSE);
          draw_cold_blob (img, cr, d, base + (tip - base) * 0.35, pout, pw / 2 + 0.05);
        }
      else
        draw_lead (cr, base, tip, c->lead_w, flat, TRUE);

      cairo_restore (cr);
    }
}

static void
draw_mold_body (cairo_t *cr,
                Comp    *c,
                double   x,
                double   y,
                double   w,
                double   h)
{
  cairo_pattern_t *p = cairo_pattern_create_linear (x, y, x + w, y + h);
  double t = 0.01 * c->tone;

  cairo_pattern_add_color_stop_rgb (p, 0.0, 0.17 + t, 0.17 + t, 0.18 + t);
  cairo_pattern_add_color_stop_rgb (p, 0.5, 0.10 + t, 0.10 + t, 0.11 + t);
  cairo_pattern_add_color_stop_rgb (p, 1.0, 0.07 + t, 0.07 + t, 0.075 + t);
  rounded_rect (cr, x, y, w, h, 0.18);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  /* The chamfer of the moulding catches the light. */
  rounded_rect (cr, x + 0.1, y + 0.1, w - 0.2, h - 0.2, 0.12);
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.52, 0.22);
  cairo_set_line_width (cr, 0.07);
  cairo_stroke (cr);
}

static void
draw_marking (Img        *img,
              cairo_t    *cr,
              const char *l1,
              const char *l2,
              double      max_w,
              double      size,
              double      cx,
              double      cy,
              double      grey)
{
  const char *font = "DejaVu Sans Condensed";
  double w1, w2 = 0;

  if (l1 == NULL || l1[0] == '\0')
    return;

  w1 = text_width (img, cr, l1, font, size);
  if (l2 != NULL && l2[0] != '\0')
    w2 = text_width (img, cr, l2, font, size);
  if (MAX (w1, w2) > max_w)
    size *= max_w / MAX (w1, w2);

  cairo_set_source_rgba (cr, grey, grey, grey * 0.98, 0.85);
  if (l2 != NULL && l2[0] != '\0')
    {
      draw_text (img, cr, l1, font, size, cx, cy - size * 0.62, 0);
      draw_text (img, cr, l2, font, size, cx, cy + size * 0.62, 0);
    }
  else
    draw_text (img, cr, l1, font, size, cx, cy, 0);
}

static void
draw_ic (Img     *img,
         cairo_t *cr,
         Comp    *c)
{
  double L = c->L, W = c->W;

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, 0.2, c->T, 0.55);
  draw_leads (img, cr, c, FALSE);
  draw_mold_body (cr, c, -L / 2, -W / 2, L, W);

  if (c->kind == KIND_QFP)
    {
      cairo_arc (cr, -L / 2 + 1.1, -W / 2 + 1.1, 0.45, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.02, 0.02, 0.02, 0.7);
      cairo_fill (cr);
      cairo_arc (cr, L / 2 - 1.4, W / 2 - 1.4, 0.75, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.2, 0.2, 0.21, 0.35);
      cairo_fill (cr);
      draw_marking (img, cr, c->mark1, c->mark2, L * 0.75, L * 0.11, 0, 0, 0.64);
    }
  else
    {
      cairo_arc (cr, -L / 2 + 0.75, W / 2 - 0.75, 0.32, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.02, 0.02, 0.02, 0.75);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.3);
      cairo_set_line_width (cr, 0.04);
      cairo_stroke (cr);
      draw_marking (img, cr, c->mark1, c->mark2, L * 0.8, W * 0.22, 0.2, -0.1, 0.64);
    }

  if (c->defect == DEFECT_SOLDER_BRIDGE)
    draw_bridge (img, cr, c);
}

static void
draw_chip_fillet (cairo_t *cr,
                  double   L,
                  double   W,
                  double   pad_out,
                  double   pad_w)
{
  double x0 = L / 2 - 0.08, x1 = pad_out - 0.03;
  double h0 = W / 2 * 0.99, h1 = pad_w / 2 * 0.86;
  cairo_pattern_t *p = cairo_pattern_create_linear (x0, 0, x1, 0);

  add_stop_grey (p, 0.0, 0.96);
  add_stop_grey (p, 0.18, 0.80);
  add_stop_grey (p, 0.45, 0.47);
  add_stop_grey (p, 0.75, 0.56);
  add_stop_grey (p, 1.0, 0.76);
  cairo_move_to (cr, x0, -h0);
  cairo_curve_to (cr, x0 + (x1 - x0) * 0.5, -h0, x1, -h1 - 0.05, x1, -h1 * 0.7);
  cairo_line_to (cr, x1, h1 * 0.7);
  cairo_curve_to (cr, x1, h1 + 0.05, x0 + (x1 - x0) * 0.5, h0, x0, h0);
  cairo_close_path (cr);
  cairo_set_source (cr, p);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (p);
  cairo_set_source_rgba (cr, 0.05, 0.05, 0.05, 0.25);
  cairo_set_line_width (cr, 0.03);
  cairo_stroke (cr);
}

static void
chip_body_colour (const Comp *c,
                  double      rgb[3])
{
  static const double caps[][3] = {
    { 0.66, 0.55, 0.40 }, { 0.55, 0.45, 0.33 }, { 0.62, 0.60, 0.54 }, { 0.72, 0.62, 0.46 },
  };

  switch (c->kind)
    {
    case KIND_CHIP_R:
      rgb[0] = rgb[1] = 0.07 + 0.01 * c->tone;
      rgb[2] = rgb[0] * 1.05;
      break;
    case KIND_CHIP_C:
      memcpy (rgb, caps[c->colour], sizeof (double) * 3);
      break;
    case KIND_CHIP_FB:
      rgb[0] = rgb[1] = rgb[2] = 0.17;
      break;
    case KIND_LED:
      rgb[0] = 0.92;
      rgb[1] = 0.91;
      rgb[2] = 0.86;
      break;
    case KIND_SOD123:
    case KIND_SOT23:
    case KIND_SOIC:
    case KIND_TSSOP:
    case KIND_QFP:
    case KIND_ECAP_SMD:
    case KIND_ECAP_TH:
    case KIND_INDUCTOR:
    case KIND_DRUM:
    case KIND_HEADER:
    case KIND_TERMINAL:
    case KIND_CRYSTAL:
    case KIND_DPAK:
    case KIND_TESTPOINT:
    case KIND_FIDUCIAL:
    case KIND_MOUNT:
    case N_KINDS:
    default:
      rgb[0] = rgb[1] = rgb[2] = 0.1;
      break;
    }
}

static void
draw_end_cap (cairo_t *cr,
              double   x,
              double   W,
              double   len,
              double   k)
{
  metal_linear (cr, 0, -W / 2, 0, W / 2, 0.50 * k, 0.93 * k);
  rounded_rect (cr, x, -W / 2, len, W, 0.06);
  cairo_fill (cr);
}

static void
draw_chip_body (Img     *img,
                cairo_t *cr,
                Comp    *c,
                double   L,
                double   W)
{
  const ChipSize *s = &chip_sizes[c->size];
  double rgb[3];
  double cap = s->cap;
  cairo_pattern_t *p;

  chip_body_colour (c, rgb);
  p = cairo_pattern_create_linear (0, -W / 2, 0, W / 2);
  cairo_pattern_add_color_stop_rgb (p, 0, rgb[0] * 1.15, rgb[1] * 1.15, rgb[2] * 1.15);
  cairo_pattern_add_color_stop_rgb (p, 0.4, rgb[0] * 1.05, rgb[1] * 1.05, rgb[2] * 1.05);
  cairo_pattern_add_color_stop_rgb (p, 1, rgb[0] * 0.82, rgb[1] * 0.82, rgb[2] * 0.82);

  if (c->kind == KIND_CHIP_R)
    {
      /* White ceramic under the black overcoat. */
      cairo_rectangle (cr, -L / 2 + cap, -W / 2, L - 2 * cap, W);
      cairo_set_source_rgb (cr, 0.80, 0.79, 0.75);
      cairo_fill (cr);
      rounded_rect (cr, -L / 2 + cap + 0.04, -W / 2 + 0.07, L - 2 * cap - 0.08, W - 0.14, 0.08);
      cairo_set_source (cr, p);
      cairo_fill (cr);
    }
  else
    {
      rounded_rect (cr, -L / 2, -W / 2, L, W, 0.08);
      cairo_set_source (cr, p);
      cairo_fill (cr);
    }
  cairo_pattern_destroy (p);

  draw_end_cap (cr, -L / 2, W, cap, c->kind == KIND_CHIP_C ? 0.9 : 1.0);
  draw_end_cap (cr, L / 2 - cap, W, cap, c->kind == KIND_CHIP_C ? 0.9 : 1.0);

  if (c->kind == KIND_LED)
    {
      rounded_rect (cr, -L / 2 + cap + 0.1, -W / 2 + 0.12, L - 2 * cap - 0.2, W - 0.24, 0.15);
      cairo_set_source_rgba (cr, 0.95, 0.82, 0.30, 0.75);
      cairo_fill (cr);
      cairo_rectangle (cr, -0.15, -0.15, 0.3, 0.3);
      cairo_set_source_rgb (cr, 0.45, 0.42, 0.35);
      cairo_fill (cr);
      cairo_move_to (cr, 0.1, 0);
      cairo_curve_to (cr, 0.3, -0.3, 0.5, -0.2, 0.55, 0.1);
      cairo_set_source_rgba (cr, 0.9, 0.85, 0.6, 0.9);
      cairo_set_line_width (cr, 0.03);
      cairo_stroke (cr);
      cairo_rectangle (cr, -L / 2 + cap + 0.02, -W / 2, 0.12, W);
      cairo_set_source_rgb (cr, 0.15, 0.55, 0.30);
      cairo_fill (cr);
    }
  else if (c->mark1[0] != '\0')
    {
      cairo_set_source_rgba (cr, 0.86, 0.86, 0.84, 0.92);
      draw_text (img, cr, c->mark1, "DejaVu Sans", W * 0.52, 0, 0, 0);
    }
}

static void
draw_chip (Img     *img,
           cairo_t *cr,
           Comp    *c)
{
  const ChipSize *s = &chip_sizes[c->size];
  double L = s->L, W = s->W;
  char desc[120];

  if (c->defect == DEFECT_MISSING)
    {
      Defect *d;

      for (int e = -1; e <= 1; e += 2)
        solder_dome (cr, e > 0 ? s->pad_in + 0.08 : -s->pad_out + 0.08, -s->pad_w / 2 + 0.1,
                     s->pad_out - s->pad_in - 0.16, s->pad_w - 0.2);
      if (c->defect_variant == 1)
        {
          /* The adhesive dot that should have held the part. */
          cairo_arc (cr, 0, 0, MIN (s->pad_in, W / 2) * 0.6, 0, 2 * G_PI);
          cairo_set_source_rgba (cr, 0.78, 0.20, 0.12, 0.9);
          cairo_fill (cr);
        }
      g_snprintf (desc, sizeof desc, "Missing %s %s: bare pads", s->code,
                  c->kind == KIND_CHIP_R ? "resistor" : c->kind == KIND_LED ? "LED" : "capacitor");
      d = defect_new (img, DEFECT_MISSING, c->ref, desc);
      defect_rect (d, cr, -s->pad_out - 0.1, -s->pad_w / 2 - 0.1, s->pad_out + 0.1, s->pad_w / 2 + 0.1);
      return;
    }

  if (c->defect == DEFECT_TOMBSTONE)
    {
      double base = s->pad_in + 0.05;
      double lean = L * 0.42;
      double capv = s->T * 0.85 + 0.1;
      double rgb[3];
      cairo_pattern_t *p;
      Defect *d;

      cairo_save (cr);
      if (c->defect_variant == 1)
        cairo_scale (cr, -1, 1);

      solder_dome (cr, -s->pad_out + 0.08, -s->pad_w / 2 + 0.1, s->pad_out - s->pad_in - 0.16, s->pad_w - 0.2);
      /* A standing part casts a long shadow. */
      shadow_rect (img, cr, c, base - lean, -W / 2, lean + s->T, W, 0.05, L * 4.5, 0.75);
      shadow_rect (img, cr, c, base - lean, -W / 2, lean + s->T, W, 0.05, L * 2.5, 0.5);
      draw_chip_fillet (cr, 2 * (base + s->T) - 0.1, W, s->pad_out, s->pad_w);

      /* The side of the standing part, then its upper termination. */
      chip_body_colour (c, rgb);
      p = cairo_pattern_create_linear (base - lean, 0, base + s->T, 0);
      cairo_pattern_add_color_stop_rgb (p, 0, rgb[0] * 1.25 + 0.05, rgb[1] * 1.25 + 0.05, rgb[2] * 1.25 + 0.05);
      cairo_pattern_add_color_stop_rgb (p, 1, rgb[0] * 0.7, rgb[1] * 0.7, rgb[2] * 0.7);
      rounded_rect (cr, base - lean + capv * 0.6, -W / 2, lean + s->T - capv * 0.6, W, 0.05);
      cairo_set_source (cr, p);
      cairo_fill (cr);
      cairo_pattern_destroy (p);
      rounded_rect (cr, base + s->T - 0.18, -W / 2, 0.18, W, 0.04);
      metal_linear (cr, 0, -W / 2, 0, W / 2, 0.35, 0.7);
      cairo_fill (cr);
      p = cairo_pattern_create_radial (base - lean + capv * 0.35, -W * 0.2, 0, base - lean + capv * 0.5, 0, W * 0.8);
      add_stop_grey (p, 0, 0.99);
      add_stop_grey (p, 0.5, 0.80);
      add_stop_grey (p, 1, 0.55);
      rounded_rect (cr, base - lean, -W / 2 - 0.02, capv, W + 0.04, 0.08);
      cairo_set_source (cr, p);
      cairo_fill_preserve (cr);
      cairo_pattern_destroy (p);
      cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.5);
      cairo_set_line_width (cr, 0.04);
      cairo_stroke (cr);

      g_snprintf (desc, sizeof desc, "Tombstoned %s: one end lifted off its pad", s->code);
      d = defect_new (img, DEFECT_TOMBSTONE, c->ref, desc);
      defect_rect (d, cr, -s->pad_out - 0.1, -MAX (s->pad_w, W) / 2 - 0.1, s->pad_out + 0.1, MAX (s->pad_w, W) / 2 + 0.1);
      cairo_restore (cr);
      return;
    }

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, 0.06, s->T, 0.5);
  for (int e = 0; e < 2; e++)
    {
      cairo_save (cr);
      if (e == 0)
        cairo_scale (cr, -1, 1);
      if (c->defect == DEFECT_COLD_JOINT && c->defect_pin == e)
        {
          Defect *d = defect_new (img, DEFECT_COLD_JOINT, c->ref, "Cold joint: dull, grainy, poorly wetted solder");

          d->hull = TRUE;
          draw_cold_blob (img, cr, d, L / 2 - 0.05, s->pad_out, s->pad_w / 2);
        }
      else
        draw_chip_fillet (cr, L, W, s->pad_out, s->pad_w);
      cairo_restore (cr);
    }
  draw_chip_body (img, cr, c, L, W);
}

static void
draw_ecap_smd (Img     *img,
               cairo_t *cr,
               Comp    *c)
{
  double h = c->L / 2;
  double ch = c->L * 0.22;
  double rad = h - 0.18;
  cairo_pattern_t *p;

  shadow_circle (img, cr, 0, 0, rad, c->T, 0.6);
  draw_leads (img, cr, c, TRUE);

  /* Plastic seat, chamfered on the positive side. */
  cairo_move_to (cr, -h + ch, -h);
  cairo_line_to (cr, h, -h);
  cairo_line_to (cr, h, h);
  cairo_line_to (cr, -h + ch, h);
  cairo_line_to (cr, -h, h - ch);
  cairo_line_to (cr, -h, -h + ch);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 0.09, 0.09, 0.09);
  cairo_fill (cr);

  /* Aluminium can. */
  p = cairo_pattern_create_radial (-rad * 0.3, -rad * 0.35, rad * 0.05, 0, 0, rad);
  add_stop_grey (p, 0.0, 0.93);
  add_stop_grey (p, 0.55, 0.80);
  add_stop_grey (p, 0.85, 0.66);
  add_stop_grey (p, 1.0, 0.42);
  cairo_arc (cr, 0, 0, rad, 0, 2 * G_PI);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  for (int i = 1; i <= 3; i++)
    {
      cairo_arc (cr, 0, 0, rad - 0.12 * i, 0, 2 * G_PI);
      set_grey (cr, i == 2 ? 0.98 : 0.35, 0.35);
      cairo_set_line_width (cr, 0.06);
      cairo_stroke (cr);
    }

  /* Negative marking. */
  cairo_save (cr);
  cairo_arc (cr, 0, 0, rad - 0.42, 0, 2 * G_PI);
  cairo_clip (cr);
  cairo_rectangle (cr, rad * 0.42, -rad, rad, 2 * rad);
  cairo_set_source_rgb (cr, 0.07, 0.07, 0.11);
  cairo_fill (cr);
  cairo_restore (cr);

  /* Pressure vent. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int k = 0; k < 2; k++)
    {
      double o = k == 0 ? 0 : -0.05;

      cairo_move_to (cr, -rad * 0.45 + o, o);
      cairo_line_to (cr, rad * 0.45 + o, o);
      cairo_move_to (cr, o, -rad * 0.45 + o);
      cairo_line_to (cr, o, rad * 0.45 + o);
      set_grey (cr, k == 0 ? 0.30 : 1.0, k == 0 ? 0.8 : 0.6);
      cairo_set_line_width (cr, k == 0 ? 0.12 : 0.05);
      cairo_stroke (cr);
    }

  cairo_set_source_rgba (cr, 0.05, 0.05, 0.08, 0.85);
  draw_text (img, cr, c->mark1, "DejaVu Sans Bold", rad * 0.34, -rad * 0.45, -rad * 0.45, 0);
  draw_text (img, cr, c->mark2, "DejaVu Sans Bold", rad * 0.3, -rad * 0.45, rad * 0.45, 0);
}

static void
draw_ecap_th (Img     *img,
              cairo_t *cr,
              Comp    *c)
{
  static const double sleeves[][3] = {
    { 0.07, 0.09, 0.25 }, { 0.06, 0.06, 0.06 }, { 0.25, 0.12, 0.08 }, { 0.10, 0.22, 0.16 },
  };
  const double *sl = sleeves[c->colour];
  double rad = c->L / 2;
  double top = rad - 0.55;
  cairo_pattern_t *p;

  shadow_circle (img, cr, 0, 0, rad, c->T, 0.7);

  p = cairo_pattern_create_radial (-rad * 0.2, -rad * 0.2, top, 0, 0, rad);
  cairo_pattern_add_color_stop_rgb (p, 0, sl[0] * 1.6, sl[1] * 1.6, sl[2] * 1.6);
  cairo_pattern_add_color_stop_rgb (p, 1, sl[0] * 0.7, sl[1] * 0.7, sl[2] * 0.7);
  cairo_arc (cr, 0, 0, rad, 0, 2 * G_PI);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  /* The sleeve's stripe marks the negative lead. */
  cairo_save (cr);
  cairo_arc (cr, 0, 0, rad, 0, 2 * G_PI);
  cairo_clip (cr);
  cairo_rectangle (cr, rad * 0.45, -rad, rad, 2 * rad);
  cairo_set_source_rgba (cr, 0.72, 0.74, 0.78, 0.8);
  cairo_fill (cr);
  cairo_restore (cr);

  p = cairo_pattern_create_radial (-top * 0.35, -top * 0.35, 0, 0, 0, top);
  add_stop_grey (p, 0.0, 0.80);
  add_stop_grey (p, 0.6, 0.64);
  add_stop_grey (p, 1.0, 0.45);
  cairo_arc (cr, 0, 0, top, 0, 2 * G_PI);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  for (double rr = top * 0.3; rr < top; rr += 0.22)
    {
      cairo_arc (cr, 0, 0, rr, 0, 2 * G_PI);
      set_grey (cr, 0.5, 0.06);
      cairo_set_line_width (cr, 0.05);
      cairo_stroke (cr);
    }

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int k = 0; k < 2; k++)
    {
      double o = k == 0 ? 0 : -0.06;

      cairo_move_to (cr, o, o);
      cairo_line_to (cr, o, -top * 0.6 + o);
      cairo_move_to (cr, o, o);
      cairo_line_to (cr, top * 0.52 + o, top * 0.3 + o);
      cairo_move_to (cr, o, o);
      cairo_line_to (cr, -top * 0.52 + o, top * 0.3 + o);
      set_grey (cr, k == 0 ? 0.32 : 1.0, k == 0 ? 0.8 : 0.55);
      cairo_set_line_width (cr, k == 0 ? 0.16 : 0.06);
      cairo_stroke (cr);
    }
}

static void
draw_inductor (Img     *img,
               cairo_t *cr,
               Comp    *c)
{
  double s = c->L;
  cairo_pattern_t *p;

  shadow_rect (img, cr, c, -s / 2, -s / 2, s, s, 0.6, c->T, 0.6);
  for (int e = 0; e < 2; e++)
    {
      cairo_save (cr);
      if (e == 0)
        cairo_scale (cr, -1, 1);
      if (c->defect == DEFECT_COLD_JOINT && c->defect_pin == e)
        {
          Defect *d = defect_new (img, DEFECT_COLD_JOINT, c->ref, "Cold joint on inductor terminal: dull, grainy solder");

          d->hull = TRUE;
          draw_cold_blob (img, cr, d, s / 2 - 0.05, s / 2 + 0.6, MIN (1.2, s * 0.25));
        }
      else
        draw_chip_fillet (cr, s, s * 0.5, s / 2 + 0.6, s * 0.55);
      cairo_restore (cr);
    }

  p = cairo_pattern_create_linear (-s / 2, -s / 2, s / 2, s / 2);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.27, 0.27, 0.28);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.13, 0.13, 0.14);
  rounded_rect (cr, -s / 2, -s / 2, s, s, 0.7);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_arc (cr, 0, 0, s * 0.36, 0, 2 * G_PI);
  set_grey (cr, 0.08, 0.25);
  cairo_set_line_width (cr, 0.1);
  cairo_stroke (cr);
  draw_marking (img, cr, c->mark1, NULL, s * 0.6, s * 0.2, 0, 0, 0.72);
}

static void
draw_drum (Img     *img,
           cairo_t *cr,
           Comp    *c)
{
  double d = c->L;
  double ro = d / 2 - 0.25, ri = d * 0.22;
  cairo_pattern_t *p;

  shadow_circle (img, cr, 0, 0, d / 2, c->T, 0.6);
  for (int e = 0; e < 2; e++)
    {
      cairo_save (cr);
      if (e == 0)
        cairo_scale (cr, -1, 1);
      draw_chip_fillet (cr, d - 0.6, 2.0, d / 2 + 0.4, 2.6);
      cairo_restore (cr);
    }

  rounded_rect (cr, -d / 2 + 0.3, -d / 2 + 0.3, d - 0.6, d - 0.6, 1.0);
  cairo_set_source_rgb (cr, 0.10, 0.10, 0.10);
  cairo_fill (cr);

  p = cairo_pattern_create_radial (-ro * 0.3, -ro * 0.3, ri * 0.5, 0, 0, ro);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.95, 0.62, 0.34);
  cairo_pattern_add_color_stop_rgb (p, 0.6, 0.78, 0.43, 0.20);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.45, 0.22, 0.10);
  cairo_arc (cr, 0, 0, ro, 0, 2 * G_PI);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  /* Turns of enamelled wire. */
  for (double rr = ri + 0.1; rr < ro; rr += 0.16)
    {
      cairo_arc (cr, 0, 0, rr, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.30, 0.13, 0.05, 0.45);
      cairo_set_line_width (cr, 0.04);
      cairo_stroke (cr);
    }

  p = cairo_pattern_create_radial (-ri * 0.3, -ri * 0.3, 0, 0, 0, ri);
  add_stop_grey (p, 0, 0.35);
  add_stop_grey (p, 1, 0.10);
  cairo_arc (cr, 0, 0, ri, 0, 2 * G_PI);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
}

static void
draw_header (Img     *img,
             cairo_t *cr,
             Comp    *c)
{
  double L = c->L, W = c->W;

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, 0.2, c->T, 0.6);
  rounded_rect (cr, -L / 2, -W / 2, L, W, 0.15);
  cairo_set_source_rgb (cr, 0.075, 0.075, 0.08);
  cairo_fill (cr);

  for (int i = 1; i < c->pins_side; i++)
    {
      double x = -L / 2 + i * 2.54;

      cairo_move_to (cr, x, -W / 2);
      cairo_line_to (cr, x, W / 2);
    }
  set_grey (cr, 0.02, 0.9);
  cairo_set_line_width (cr, 0.12);
  cairo_stroke (cr);

  for (int i = 0; i < c->n_pads; i++)
    {
      double x = c->pads[i].x, y = c->pads[i].y, h = 0.32;
      static const double shade[4] = { 1.0, 0.78, 0.55, 0.88 };

      for (int k = 0; k < 4; k++)
        {
          cairo_save (cr);
          cairo_translate (cr, x, y);
          cairo_rotate (cr, k * G_PI / 2);
          cairo_move_to (cr, -h, -h);
          cairo_line_to (cr, h, -h);
          cairo_line_to (cr, 0.06, -0.06);
          cairo_line_to (cr, -0.06, -0.06);
          cairo_close_path (cr);
          cairo_set_source_rgb (cr, 0.95 * shade[k], 0.78 * shade[k], 0.42 * shade[k]);
          cairo_fill (cr);
          cairo_restore (cr);
        }
      cairo_rectangle (cr, x - 0.07, y - 0.07, 0.14, 0.14);
      cairo_set_source_rgb (cr, 1.0, 0.93, 0.70);
      cairo_fill (cr);
    }
}

static void
draw_terminal (Img     *img,
               cairo_t *cr,
               Comp    *c)
{
  double L = c->L, W = c->W;
  double base[3] = { 0.12, 0.45, 0.22 };
  cairo_pattern_t *p;

  if (c->colour >= 2)
    {
      base[0] = 0.10;
      base[1] = 0.28;
      base[2] = 0.62;
    }

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, 0.3, c->T, 0.65);
  p = cairo_pattern_create_linear (0, -W / 2, 0, W / 2);
  cairo_pattern_add_color_stop_rgb (p, 0, base[0] * 1.3, base[1] * 1.3, base[2] * 1.3);
  cairo_pattern_add_color_stop_rgb (p, 1, base[0] * 0.8, base[1] * 0.8, base[2] * 0.8);
  rounded_rect (cr, -L / 2, -W / 2, L, W, 0.3);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  for (int i = 0; i < c->pins_side; i++)
    {
      double x = -L / 2 + 2.54 + i * 5.08;
      double a = c->tone * 0.6 + i * 0.7;

      if (i > 0)
        {
          cairo_move_to (cr, x - 2.54, -W / 2);
          cairo_line_to (cr, x - 2.54, W / 2);
          cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
          cairo_set_line_width (cr, 0.15);
          cairo_stroke (cr);
        }

      /* Clamp recess and screw. */
      rounded_rect (cr, x - 1.7, -2.2, 3.4, 3.4, 0.3);
      cairo_set_source_rgb (cr, base[0] * 0.35, base[1] * 0.35, base[2] * 0.35);
      cairo_fill (cr);
      p = cairo_pattern_create_radial (x - 0.4, -0.9, 0.1, x, -0.5, 1.35);
      add_stop_grey (p, 0, 0.95);
      add_stop_grey (p, 0.7, 0.70);
      add_stop_grey (p, 1, 0.45);
      cairo_arc (cr, x, -0.5, 1.3, 0, 2 * G_PI);
      cairo_set_source (cr, p);
      cairo_fill (cr);
      cairo_pattern_destroy (p);
      cairo_save (cr);
      cairo_translate (cr, x, -0.5);
      cairo_rotate (cr, a);
      cairo_rectangle (cr, -1.1, -0.17, 2.2, 0.34);
      set_grey (cr, 0.18, 1);
      cairo_fill (cr);
      cairo_restore (cr);

      /* Wire entry on the front face. */
      rounded_rect (cr, x - 1.6, W / 2 - 1.6, 3.2, 1.3, 0.2);
      cairo_set_source_rgb (cr, 0.03, 0.03, 0.03);
      cairo_fill (cr);
      cairo_rectangle (cr, x - 1.2, W / 2 - 1.4, 2.4, 0.4);
      set_grey (cr, 0.6, 0.6);
      cairo_fill (cr);
    }
}

static void
draw_crystal (Img     *img,
              cairo_t *cr,
              Comp    *c)
{
  double L = c->L, W = c->W;
  cairo_pattern_t *p;

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, W / 2, c->T, 0.55);
  draw_leads (img, cr, c, TRUE);
  p = cairo_pattern_create_linear (0, -W / 2, 0, W / 2);
  add_stop_grey (p, 0, 0.70);
  add_stop_grey (p, 0.3, 0.95);
  add_stop_grey (p, 0.6, 0.80);
  add_stop_grey (p, 1, 0.55);
  rounded_rect (cr, -L / 2, -W / 2, L, W, W / 2);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  rounded_rect (cr, -L / 2 + 0.4, -W / 2 + 0.4, L - 0.8, W - 0.8, W / 2 - 0.4);
  set_grey (cr, 0.4, 0.5);
  cairo_set_line_width (cr, 0.08);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.12, 0.85);
  draw_text (img, cr, c->mark1, "DejaVu Sans Bold", W * 0.3, 0, 0, 0);
}

static void
draw_dpak (Img     *img,
           cairo_t *cr,
           Comp    *c)
{
  double L = c->L, W = c->W;

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, 0.2, c->T, 0.55);

  /* Soldered tab. */
  cairo_save (cr);
  cairo_rotate (cr, -G_PI / 2);
  draw_chip_fillet (cr, W + 1.6, 5.6, W / 2 + 1.45, 6.0);
  cairo_restore (cr);
  rounded_rect (cr, -2.7, -W / 2 - 0.9, 5.4, 1.4, 0.15);
  metal_linear (cr, -2.7, 0, 2.7, 0, 0.55, 0.92);
  cairo_fill (cr);

  draw_leads (img, cr, c, FALSE);
  /* The cut-off centre lead. */
  cairo_save (cr);
  cairo_rotate (cr, G_PI / 2);
  draw_lead (cr, W / 2, W / 2 + 0.7, 0.8, TRUE, FALSE);
  cairo_restore (cr);

  draw_mold_body (cr, c, -L / 2, -W / 2 + 0.3, L, W - 0.3);
  draw_marking (img, cr, c->mark1, "2318", L * 0.8, 0.8, 0, 0.4, 0.66);
}

static void
draw_simple_part (Img     *img,
                  cairo_t *cr,
                  Comp    *c,
                  gboolean diode)
{
  double L = c->L, W = c->W;

  shadow_rect (img, cr, c, -L / 2, -W / 2, L, W, 0.15, c->T, 0.5);
  draw_leads (img, cr, c, diode);
  draw_mold_body (cr, c, -L / 2, -W / 2, L, W);
  if (diode)
    {
      cairo_rectangle (cr, -L / 2 + 0.35, -W / 2 + 0.12, 0.35, W - 0.24);
      set_grey (cr, 0.62, 0.9);
      cairo_fill (cr);
    }
  else
    draw_marking (img, cr, c->mark1, NULL, L * 0.7, W * 0.45, 0, 0, 0.7);
}

static void
draw_component (Img     *img,
                cairo_t *cr,
                Comp    *c)
{
  cairo_save (cr);
  cairo_translate (cr, c->x, c->y);
  cairo_rotate (cr, c->rot * G_PI / 2);

  switch (c->kind)
    {
    case KIND_CHIP_R:
    case KIND_CHIP_C:
    case KIND_CHIP_FB:
    case KIND_LED:
      draw_chip (img, cr, c);
      break;
    case KIND_SOD123:
      draw_simple_part (img, cr, c, TRUE);
      break;
    case KIND_SOT23:
      draw_simple_part (img, cr, c, FALSE);
      break;
    case KIND_SOIC:
    case KIND_TSSOP:
    case KIND_QFP:
      draw_ic (img, cr, c);
      break;
    case KIND_ECAP_SMD:
      draw_ecap_smd (img, cr, c);
      break;
    case KIND_ECAP_TH:
      draw_ecap_th (img, cr, c);
      break;
    case KIND_INDUCTOR:
      draw_inductor (img, cr, c);
      break;
    case KIND_DRUM:
      draw_drum (img, cr, c);
      break;
    case KIND_HEADER:
      draw_header (img, cr, c);
      break;
    case KIND_TERMINAL:
      draw_terminal (img, cr, c);
      break;
    case KIND_CRYSTAL:
      draw_crystal (img, cr, c);
      break;
    case KIND_DPAK:
      draw_dpak (img, cr, c);
      break;
    case KIND_TESTPOINT:
      solder_dome (cr, -0.7, -0.7, 1.4, 1.4);
      break;
    case KIND_FIDUCIAL:
    case KIND_MOUNT:
    case N_KINDS:
    default:
      break;
    }

  cairo_restore (cr);
}

/* Defects drawn over the board */

static gboolean
comp_visible (Img        *img,
              const Comp *c,
              double      margin)
{
  const double xs[2] = { c->keep.x0, c->keep.x1 };
  const double ys[2] = { c->keep.y0, c->keep.y1 };

  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      {
        double x = xs[i], y = ys[j];

        cairo_matrix_transform_point (&img->to_dev, &x, &y);
        if (x < margin || y < margin || x > IMAGE_WIDTH - margin || y > IMAGE_HEIGHT - margin)
          return FALSE;
      }

  return TRUE;
}

static gboolean
board_point_visible (Img    *img,
                     double  x,
                     double  y,
                     double  margin)
{
  cairo_matrix_transform_point (&img->to_dev, &x, &y);
  return x >= margin && y >= margin && x <= IMAGE_WIDTH - margin && y <= IMAGE_HEIGHT - margin;
}

static void
draw_scratch (Img     *img,
              cairo_t *cr)
{
  GRand *r = img->rand;
  Pt best[16];
  int best_n = 0, best_hits = -1;
  double w = rnd (r, 0.09, 0.16);
  Defect *d;

  for (int attempt = 0; attempt < 300 && best_hits < 6; attempt++)
    {
      Pt p[16];
      int n = rndi (r, 8, 14);
      double len = rnd (r, 9, 24);
      double a = rnd (r, 0, G_PI);
      double bend = rnd (r, -0.25, 0.25);
      double x = rnd (r, img->view.x0, img->view.x1);
      double y = rnd (r, img->view.y0, img->view.y1);
      gboolean ok = TRUE;
      int hits = 0;
      gboolean prev = FALSE;

      for (int i = 0; i < n && ok; i++)
        {
          double t = (double) i / (n - 1);
          double aa = a + bend * (t - 0.5);

          p[i].x = x + cos (aa) * len * (t - 0.5) + rnd (r, -0.04, 0.04);
          p[i].y = y + sin (aa) * len * (t - 0.5) + rnd (r, -0.04, 0.04);
          if (p[i].x < 1.5 || p[i].y < 1.5 || p[i].x > img->bw - 1.5 || p[i].y > img->bh - 1.5 ||
              !board_point_visible (img, p[i].x, p[i].y, 50))
            ok = FALSE;
        }
      if (!ok)
        continue;

      for (double s = 0, total = path_length (p, n); s < total && ok; s += 0.05)
        {
          Pt q = path_point_at (p, n, s);
          gboolean cu = grid_get (&img->grid, q.x, q.y, CELL_COPPER);

          if (grid_get (&img->grid, q.x, q.y, CELL_COMP))
            ok = FALSE;
          if (cu && !prev)
            hits++;
          prev = cu;
        }
      if (ok && hits > best_hits)
        {
          memcpy (best, p, sizeof (Pt) * n);
          best_n = n;
          best_hits = hits;
        }
    }

  if (best_n == 0)
    return;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Broken mask scatters light; a darker groove in the middle. */
  stroke_path_pts (cr, best, best_n);
  cairo_set_source_rgba (cr, 0.80, 0.84, 0.78, 0.78);
  cairo_set_line_width (cr, w * 1.6);
  cairo_stroke (cr);
  stroke_path_pts (cr, best, best_n);
  cairo_set_source_rgba (cr, 0.93, 0.95, 0.90, 0.9);
  cairo_set_line_width (cr, w * 0.8);
  cairo_stroke (cr);

  /* Bright copper where the scratch cuts through a trace. */
  for (double s = 0, total = path_length (best, best_n); s < total; s += 0.04)
    {
      Pt q = path_point_at (best, best_n, s);
      Pt q2 = path_point_at (best, best_n, MIN (s + 0.05, total));

      if (!grid_get (&img->grid, q.x, q.y, CELL_COPPER))
        continue;
      cairo_move_to (cr, q.x, q.y);
      cairo_line_to (cr, q2.x, q2.y);
      cairo_set_source_rgb (cr, 0.96, 0.62, 0.40);
      cairo_set_line_width (cr, w * 1.1);
      cairo_stroke (cr);
    }

  /* A fainter companion scratch. */
  cairo_save (cr);
  cairo_translate (cr, 0.25, -0.18);
  stroke_path_pts (cr, best + 2, best_n - 4);
  cairo_set_source_rgba (cr, 0.85, 0.88, 0.84, 0.5);
  cairo_set_line_width (cr, w * 0.45);
  cairo_stroke (cr);
  cairo_restore (cr);
  cairo_restore (cr);

  d = defect_new (img, DEFECT_SCRATCH, NULL,
                  best_hits > 0 ? "Scratch through the solder mask, copper exposed" : "Scratch in the solder mask");
  {
    double hw = w * 0.8 + 0.1;
    Pt dirs[16];

    for (int i = 0; i < best_n; i++)
      {
        int a = MAX (i - 1, 0), b = MIN (i + 1, best_n - 1);
        double dx = best[b].x - best[a].x, dy = best[b].y - best[a].y;
        double l = hypot (dx, dy);

        dirs[i] = (Pt) { -dy / l, dx / l };
      }
    /* Upper side includes the companion scratch offset. */
    for (int i = 0; i < best_n; i++)
      defect_point (d, cr, best[i].x + dirs[i].x * (hw + 0.32), best[i].y + dirs[i].y * (hw + 0.32));
    for (int i = best_n - 1; i >= 0; i--)
      defect_point (d, cr, best[i].x - dirs[i].x * (hw + 0.32), best[i].y - dirs[i].y * (hw + 0.32));
  }
}

static void
draw_burn (Img     *img,
           cairo_t *cr,
           Comp    *c)
{
  GRand *r = img->rand;
  double cx = c->x + rnd (r, -0.3, 0.3);
  double cy = c->y + rnd (r, -0.3, 0.3);
  double rad = MAX (c->keep.x1 - c->keep.x0, c->keep.y1 - c->keep.y0) / 2 + rnd (r, 1.6, 3.0);
  Pt outer[28], inner[20];
  double ix, iy;
  cairo_pattern_t *p;
  Defect *d;
  gboolean dark_board = img->mask == &mask_styles[3];

  blob_points (r, cx, cy, rad, rad * rnd (r, 0.75, 1.0), 0.15, outer, G_N_ELEMENTS (outer));
  ix = cx + rnd (r, -0.3, 0.3);
  iy = cy + rnd (r, -0.3, 0.3);
  blob_points (r, ix, iy, rad * 0.5, rad * 0.42, 0.25, inner, G_N_ELEMENTS (inner));

  cairo_push_group (cr);
  smooth_closed_path (cr, outer, G_N_ELEMENTS (outer));
  p = cairo_pattern_create_radial (cx, cy, 0, cx, cy, rad * 1.15);
  if (dark_board)
    {
      cairo_pattern_add_color_stop_rgba (p, 0.0, 0.42, 0.30, 0.20, 0.9);
      cairo_pattern_add_color_stop_rgba (p, 0.6, 0.40, 0.30, 0.22, 0.6);
      cairo_pattern_add_color_stop_rgba (p, 1.0, 0.40, 0.32, 0.25, 0.0);
    }
  else
    {
      cairo_pattern_add_color_stop_rgba (p, 0.0, 0.25, 0.15, 0.06, 0.95);
      cairo_pattern_add_color_stop_rgba (p, 0.55, 0.55, 0.35, 0.15, 0.85);
      cairo_pattern_add_color_stop_rgba (p, 0.85, 0.85, 0.65, 0.35, 0.5);
      cairo_pattern_add_color_stop_rgba (p, 1.0, 1.0, 1.0, 1.0, 0.0);
    }
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);

  smooth_closed_path (cr, inner, G_N_ELEMENTS (inner));
  p = cairo_pattern_create_radial (cx, cy, 0, cx, cy, rad * 0.6);
  cairo_pattern_add_color_stop_rgba (p, 0.0, 0.03, 0.02, 0.01, 0.95);
  cairo_pattern_add_color_stop_rgba (p, 0.7, 0.08, 0.05, 0.03, 0.85);
  cairo_pattern_add_color_stop_rgba (p, 1.0, 0.2, 0.12, 0.05, 0.3);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_pop_group_to_source (cr);
  cairo_set_operator (cr, dark_board ? CAIRO_OPERATOR_OVER : CAIRO_OPERATOR_MULTIPLY);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);

  /* Blistered, charred texture in the core. */
  for (int i = 0; i < 40; i++)
    {
      double a = rnd (r, 0, 2 * G_PI), k = sqrt (g_rand_double (r)) * rad * 0.45;
      double g = rnd (r, 0.0, 0.25);

      cairo_arc (cr, cx + cos (a) * k, cy + sin (a) * k, rnd (r, 0.04, 0.18), 0, 2 * G_PI);
      cairo_set_source_rgba (cr, g * 1.2, g, g * 0.8, rnd (r, 0.4, 0.9));
      cairo_fill (cr);
    }

  d = defect_new (img, DEFECT_BURN, c->ref, "Burn mark: charred, discoloured board and part");
  d->hull = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (outer); i++)
    defect_point (d, cr, cx + (outer[i].x - cx) * 0.92, cy + (outer[i].y - cy) * 0.92);
}

static void
draw_contamination (Img     *img,
                    cairo_t *cr,
                    Comp    *c)
{
  GRand *r = img->rand;
  int variant = c->defect_variant;
  double cx = (c->keep.x0 + c->keep.x1) / 2;
  double cy = (c->keep.y0 + c->keep.y1) / 2;
  Defect *d;

  switch (variant)
    {
    case 0:   /* flux residue */
    case 3:   /* whitish residue after poor cleaning */
      {
        int n = rndi (r, 1, 3);

        d = defect_new (img, DEFECT_CONTAMINATION, c->ref,
                        variant == 0 ? "Contamination: flux residue around the joints"
                                     : "Contamination: white residue left after cleaning");
        d->hull = TRUE;
        for (int k = 0; k < n; k++)
          {
            Pt pts[16];
            double bx = cx + rnd (r, -1.5, 1.5), by = cy + rnd (r, -1.5, 1.5);
            double rx = rnd (r, 1.2, 2.6), ry = rx * rnd (r, 0.5, 0.9);

            blob_points (r, bx, by, rx, ry, 0.3, pts, G_N_ELEMENTS (pts));
            smooth_closed_path (cr, pts, G_N_ELEMENTS (pts));
            if (variant == 0)
              cairo_set_source_rgba (cr, 0.80, 0.58, 0.16, 0.42);
            else
              cairo_set_source_rgba (cr, 0.92, 0.92, 0.86, 0.45);
            cairo_fill_preserve (cr);
            if (variant == 0)
              cairo_set_source_rgba (cr, 0.55, 0.33, 0.08, 0.7);
            else
              cairo_set_source_rgba (cr, 0.98, 0.98, 0.95, 0.7);
            cairo_set_line_width (cr, 0.09);
            cairo_stroke (cr);

            for (int i = 0; i < 6; i++)
              {
                double a = rnd (r, 0, 2 * G_PI), kk = rnd (r, 0, 0.6);

                cairo_save (cr);
                cairo_translate (cr, bx + cos (a) * rx * kk, by + sin (a) * ry * kk);
                cairo_scale (cr, 1, 0.5);
                cairo_arc (cr, 0, 0, rnd (r, 0.08, 0.25), 0, 2 * G_PI);
                cairo_restore (cr);
                cairo_set_source_rgba (cr, 1, 1, 0.95, variant == 0 ? 0.45 : 0.6);
                cairo_fill (cr);
              }
            for (guint i = 0; i < G_N_ELEMENTS (pts); i++)
              defect_point (d, cr, bx + (pts[i].x - bx) * 1.05, by + (pts[i].y - by) * 1.05);
          }
      }
      break;

    case 1:   /* solder balls */
      {
        int n = rndi (r, 7, 13);

        d = defect_new (img, DEFECT_CONTAMINATION, c->ref, "Contamination: loose solder balls");
        d->hull = TRUE;
        for (int i = 0; i < n; i++)
          {
            double a = rnd (r, 0, 2 * G_PI);
            double k = rnd (r, 0.75, 1.0) * (MAX (c->keep.x1 - c->keep.x0, c->keep.y1 - c->keep.y0) / 2 + 1.0);
            double x = cx + cos (a) * k, y = cy + sin (a) * k;
            double rr = rnd (r, 0.17, 0.34);
            cairo_pattern_t *p;

            cairo_arc (cr, x - img->light_x * rr * 0.5, y - img->light_y * rr * 0.5, rr * 1.1, 0, 2 * G_PI);
            cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
            cairo_fill (cr);
            p = cairo_pattern_create_radial (x - rr * 0.35, y - rr * 0.35, 0, x, y, rr);
            add_stop_grey (p, 0, 1.0);
            add_stop_grey (p, 0.3, 0.8);
            add_stop_grey (p, 1, 0.35);
            cairo_arc (cr, x, y, rr, 0, 2 * G_PI);
            cairo_set_source (cr, p);
            cairo_fill (cr);
            cairo_pattern_destroy (p);
            defect_point (d, cr, x - rr - 0.1, y - rr - 0.1);
            defect_point (d, cr, x + rr + 0.25, y + rr + 0.25);
            defect_point (d, cr, x - rr - 0.1, y + rr + 0.25);
            defect_point (d, cr, x + rr + 0.25, y - rr - 0.1);
          }
      }
      break;

    case 2:   /* a fibre */
    default:
      {
        Pt p[12];
        double a = rnd (r, 0, 2 * G_PI);
        double len = rnd (r, 6, 12);
        double x = cx, y = cy;

        d = defect_new (img, DEFECT_CONTAMINATION, c->ref, "Contamination: fibre lying across the board");
        d->hull = TRUE;
        for (int i = 0; i < 12; i++)
          {
            p[i] = (Pt) { x, y };
            a += rnd (r, -0.5, 0.5);
            x += cos (a) * len / 11;
            y += sin (a) * len / 11;
          }
        cairo_save (cr);
        cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
        cairo_translate (cr, -img->light_x * 0.15, -img->light_y * 0.15);
        stroke_path_pts (cr, p, 12);
        cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
        cairo_set_line_width (cr, 0.16);
        cairo_stroke (cr);
        cairo_restore (cr);
        stroke_path_pts (cr, p, 12);
        cairo_set_source_rgba (cr, 0.20, 0.14, 0.10, 0.95);
        cairo_set_line_width (cr, 0.11);
        cairo_stroke (cr);
        stroke_path_pts (cr, p, 12);
        cairo_set_source_rgba (cr, 0.6, 0.5, 0.4, 0.6);
        cairo_set_line_width (cr, 0.03);
        cairo_stroke (cr);
        for (int i = 0; i < 12; i++)
          {
            defect_point (d, cr, p[i].x - 0.25, p[i].y - 0.25);
            defect_point (d, cr, p[i].x + 0.3, p[i].y + 0.3);
          }
      }
      break;
    }
}

/* One image */

static void
img_setup (Img *img,
           int  index)
{
  GRand *r;
  double vw, vh, mx, my;
  int mode;
  cairo_matrix_t inv;

  img->index = index;
  img->rand = r = g_rand_new_with_seed (DEMO_SEED + 7919u * (guint) index);
  img->spec = &board_specs[index % G_N_ELEMENTS (board_specs)];
  img->mask = &mask_styles[img->spec->mask];
  img->bottom = index % 8 == 5;
  img->camera = cameras[rndi (r, 0, G_N_ELEMENTS (cameras) - 1)];
  img->scale = rnd (r, 19.0, 26.0);
  img->angle = rnd (r, -3.5, 3.5) * G_PI / 180;
  img->corner_r = rnd (r, 0.5, 3.0);
  img->outline_chips = chance (r, 0.5);
  img->labels_rotate = chance (r, 0.5);
  img->label_size = rnd (r, 0.8, 1.0);
  {
    double a = rnd (r, -2.6, -2.0);

    img->light_x = cos (a);
    img->light_y = sin (a);
  }

  vw = IMAGE_WIDTH / img->scale;
  vh = IMAGE_HEIGHT / img->scale;
  mx = vw * rnd (r, 0.07, 0.18);
  my = vh * rnd (r, 0.07, 0.18);
  mode = index == 0 ? 1 : rndi (r, 0, 2);

  switch (mode)
    {
    case 0:   /* the whole board */
      img->bw = vw * rnd (r, 0.80, 0.88);
      img->bh = vh * rnd (r, 0.78, 0.86);
      img->vx = img->bw / 2 + rnd (r, -1, 1);
      img->vy = img->bh / 2 + rnd (r, -1, 1);
      break;
    case 1:   /* a corner */
      img->bw = vw * rnd (r, 1.3, 2.0);
      img->bh = vh * rnd (r, 1.3, 2.0);
      img->vx = chance (r, 0.5) ? vw / 2 - mx : img->bw - vw / 2 + mx;
      img->vy = chance (r, 0.5) ? vh / 2 - my : img->bh - vh / 2 + my;
      break;
    case 2:   /* one edge */
    default:
      img->bw = vw * rnd (r, 1.4, 2.0);
      img->bh = vh * rnd (r, 1.4, 2.0);
      if (chance (r, 0.5))
        {
          img->vx = chance (r, 0.5) ? vw / 2 - mx : img->bw - vw / 2 + mx;
          img->vy = img->bh / 2 + rnd (r, -3, 3);
        }
      else
        {
          img->vx = img->bw / 2 + rnd (r, -3, 3);
          img->vy = chance (r, 0.5) ? vh / 2 - my : img->bh - vh / 2 + my;
        }
      break;
    }

  cairo_matrix_init_translate (&img->to_dev, IMAGE_WIDTH / 2.0, IMAGE_HEIGHT / 2.0);
  cairo_matrix_rotate (&img->to_dev, img->angle);
  cairo_matrix_scale (&img->to_dev, img->scale, img->scale);
  cairo_matrix_translate (&img->to_dev, -img->vx, -img->vy);

  inv = img->to_dev;
  cairo_matrix_invert (&inv);
  img->view = (Box) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  for (int i = 0; i < 4; i++)
    {
      double x = (i & 1) ? IMAGE_WIDTH : 0;
      double y = (i & 2) ? IMAGE_HEIGHT : 0;

      cairo_matrix_transform_point (&inv, &x, &y);
      box_add_point (&img->view, x, y);
    }
  img->area = (Box) {
    MAX (img->view.x0 - 4, 0), MAX (img->view.y0 - 4, 0),
    MIN (img->view.x1 + 4, img->bw), MIN (img->view.y1 + 4, img->bh),
  };

  img->pour = chance (r, 0.55);
  if (img->pour)
    {
      if (chance (r, 0.4))
        img->pour_box = (Box) { 0.8, 0.8, img->bw - 0.8, img->bh - 0.8 };
      else
        {
          double w = (img->area.x1 - img->area.x0) * rnd (r, 0.4, 0.7);
          double h = (img->area.y1 - img->area.y0) * rnd (r, 0.4, 0.8);
          double x0 = rnd (r, img->area.x0, img->area.x1 - w);
          double y0 = rnd (r, img->area.y0, img->area.y1 - h);

          img->pour_box = (Box) { MAX (x0, 0.8), MAX (y0, 0.8), MIN (x0 + w, img->bw - 0.8), MIN (y0 + h, img->bh - 0.8) };
        }
    }

  img->comps = g_array_new (FALSE, TRUE, sizeof (Comp));
  img->traces = g_array_new (FALSE, TRUE, sizeof (Trace));
  img->vias = g_array_new (FALSE, TRUE, sizeof (Via));
  img->labels = g_array_new (FALSE, TRUE, sizeof (Label));
  img->defects = g_array_new (FALSE, TRUE, sizeof (Defect));
  grid_init (&img->grid, &img->area);
}

static void
img_clear (Img *img)
{
  g_clear_pointer (&img->rand, g_rand_free);
  g_clear_pointer (&img->comps, g_array_unref);
  g_clear_pointer (&img->traces, g_array_unref);
  g_clear_pointer (&img->vias, g_array_unref);
  g_clear_pointer (&img->labels, g_array_unref);
  g_clear_pointer (&img->defects, g_array_unref);
  g_clear_pointer (&img->grid.cells, g_free);
  g_clear_object (&img->layout);
  g_clear_pointer (&img->file, g_free);
  g_clear_error (&img->error);
}

static gboolean
defect_target_ok (Img         *img,
                  const Comp  *c,
                  DefectClass  cls)
{
  if (c->defect != DEFECT_NONE || c->ref[0] == '\0')
    return FALSE;

  switch (cls)
    {
    case DEFECT_SOLDER_BRIDGE:
      return kind_is_ic (c->kind) && c->pitch >= 0.64 && comp_visible (img, c, 80);
    case DEFECT_LIFTED_PIN:
      return (kind_is_ic (c->kind) && c->pitch >= 0.64) && comp_visible (img, c, 80);
    case DEFECT_MISSING:
      return (c->kind == KIND_CHIP_R || c->kind == KIND_CHIP_C || c->kind == KIND_LED) &&
             c->size >= 1 && c->size <= 2 && comp_visible (img, c, 60);
    case DEFECT_TOMBSTONE:
      return (c->kind == KIND_CHIP_R || c->kind == KIND_CHIP_C) && c->size <= 1 && comp_visible (img, c, 60);
    case DEFECT_COLD_JOINT:
      return ((kind_is_chip (c->kind) && c->kind != KIND_LED && c->size >= 2) || c->kind == KIND_SOIC ||
              c->kind == KIND_ECAP_SMD || c->kind == KIND_INDUCTOR || c->kind == KIND_DPAK) && comp_visible (img, c, 60);
    case DEFECT_BURN:
      return (kind_is_chip (c->kind) || kind_is_ic (c->kind) || c->kind == KIND_DPAK || c->kind == KIND_SOT23 ||
              c->kind == KIND_INDUCTOR || c->kind == KIND_SOD123) && comp_visible (img, c, 160);
    case DEFECT_CONTAMINATION:
      return c->kind != KIND_MOUNT && c->kind != KIND_FIDUCIAL && comp_visible (img, c, 200);
    case DEFECT_NONE:
    case DEFECT_SCRATCH:
    case N_DEFECTS:
    default:
      return FALSE;
    }
}

/* Decides how many defects each image gets and of which class: the classes
 * take turns over all images so that each is about equally common. A few
 * boards pass inspection. */
static void
plan_defects (Img *imgs,
              int  n_images)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (DEMO_SEED + 99);
  int next = 0;

  for (int i = 0; i < n_images; i++)
    {
      double u = g_rand_double (r);
      Img *img = &imgs[i];

      img->index = i;
      if (i == 6 || i == 14 || i == 21)
        img->n_planned = 0;
      else
        img->n_planned = u < 0.35 ? 1 : u < 0.7 ? 2 : u < 0.9 ? 3 : 4;

      for (int k = 0; k < img->n_planned; k++)
        img->planned[k] = (DefectClass) (DEFECT_SOLDER_BRIDGE + next++ % (N_DEFECTS - 1));
    }
}

/* Chooses which parts carry the planned defects; when a board has no
 * suitable part, another class is drawn. Returns whether to scratch the
 * board. */
static gboolean
choose_defects (Img *img)
{
  GRand *r = img->rand;
  gboolean scratch = FALSE;
  int n_defects = img->n_planned;
  int tries = 0;

  while (n_defects > 0 && tries++ < 40)
    {
      DefectClass cls = tries <= img->n_planned ? img->planned[tries - 1]
                                                : (DefectClass) rndi (r, DEFECT_SOLDER_BRIDGE, DEFECT_CONTAMINATION);
      guint n = img->comps->len;
      guint start = n > 0 ? (guint) rndi (r, 0, (int) n - 1) : 0;
      gboolean done = FALSE;

      if (cls == DEFECT_SCRATCH)
        {
          if (scratch)
            continue;
          scratch = TRUE;
          n_defects--;
          continue;
        }

      for (guint k = 0; k < n && !done; k++)
        {
          Comp *c = &g_array_index (img->comps, Comp, (start + k) % n);

          if (!defect_target_ok (img, c, cls))
            continue;

          c->defect = cls;
          c->defect_variant = rndi (r, 0, 1);
          switch (cls)
            {
            case DEFECT_SOLDER_BRIDGE:
              do
                c->defect_pin = rndi (r, 0, c->n_pads - 1);
              while (c->defect_pin % c->pins_side == c->pins_side - 1);
              c->defect_variant = chance (r, 0.3) ? 1 : 0;
              break;
            case DEFECT_LIFTED_PIN:
              c->defect_pin = rndi (r, 0, c->n_pads - 1);
              break;
            case DEFECT_COLD_JOINT:
              do
                c->defect_pin = rndi (r, 0, c->n_pads - 1);
              while (c->kind == KIND_DPAK && c->defect_pin == 0);
              break;
            case DEFECT_MISSING:
              c->defect_variant = chance (r, 0.3) ? 1 : 0;
              break;
            case DEFECT_CONTAMINATION:
              c->defect_variant = rndi (r, 0, 3);
              break;
            case DEFECT_NONE:
            case DEFECT_TOMBSTONE:
            case DEFECT_SCRATCH:
            case DEFECT_BURN:
            case N_DEFECTS:
            default:
              break;
            }
          done = TRUE;
        }

      if (done)
        n_defects--;
    }

  return scratch;
}

typedef struct
{
  guint32 s;
} XorShift;

static inline guint32
xorshift (XorShift *x)
{
  guint32 v = x->s;

  v ^= v << 13;
  v ^= v >> 17;
  v ^= v << 5;
  return x->s = v;
}

/* Uneven illumination, vignetting, a touch of optical blur and sensor noise;
 * writes packed RGB to @rgb. */
static void
post_process (Img             *img,
              cairo_surface_t *surface,
              guint8          *rgb)
{
  enum { GW = 6, GH = 5 };
  GRand *r = img->rand;
  int w = IMAGE_WIDTH, h = IMAGE_HEIGHT;
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data;
  g_autofree guint8 *tmp = g_malloc ((gsize) w * h * 3);
  float illum[GH][GW];
  double vig = rnd (r, 0.22, 0.42);
  double hx = rnd (r, 0.3, 0.7) * w, hy = rnd (r, 0.3, 0.7) * h;
  double hot = rnd (r, 6, 22), hs = rnd (r, 0.25, 0.45) * w;
  double wb_red = rnd (r, 0.97, 1.04);
  double wb_blue = rnd (r, 0.94, 1.03);
  double wb[3] = { wb_red, 1.0, wb_blue };
  double amp = rnd (r, 2.5, 4.0);
  XorShift xs = { g_rand_int (r) | 1 };
  g_autofree double *noise = g_new0 (double, w + 2);

  for (int j = 0; j < GH; j++)
    for (int i = 0; i < GW; i++)
      illum[j][i] = (float) rnd (r, 0.9, 1.07);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);

  for (int y = 0; y < h; y++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + y * stride);
      double gy = (double) y / (h - 1) * (GH - 1);
      int j0 = MIN ((int) gy, GH - 2);
      double fy = gy - j0;
      double dy = (y - h / 2.0) / (h / 2.0);
      guint8 *out = tmp + (gsize) y * w * 3;

      /* Sensor noise, in 2×2 blocks that the blur below softens. */
      if ((y & 1) == 0)
        for (int i = 0; i < w; i += 2)
          {
            guint32 rv = xorshift (&xs);

            noise[i] = (((rv & 0xff) + ((rv >> 8) & 0xff)) / 255.0 - 1.0) * amp;
            noise[i + 1] = (((rv >> 16) & 0xff) / 255.0 - 0.5) * amp * 0.6;
          }

      for (int x = 0; x < w; x++)
        {
          double gx = (double) x / (w - 1) * (GW - 1);
          int i0 = MIN ((int) gx, GW - 2);
          double fx = gx - i0;
          double il = (illum[j0][i0] * (1 - fx) + illum[j0][i0 + 1] * fx) * (1 - fy) +
                      (illum[j0 + 1][i0] * (1 - fx) + illum[j0 + 1][i0 + 1] * fx) * fy;
          double dx = (x - w / 2.0) / (w / 2.0);
          double rr = (dx * dx * 0.75 + dy * dy * 0.75);
          double f = il * (1 - vig * rr * rr * 0.6 - vig * rr * 0.4);
          double hd2 = ((x - hx) * (x - hx) + (y - hy) * (y - hy)) / (hs * hs);
          double add = hot * exp (-hd2);
          guint32 px = row[x];
          double c[3] = { (px >> 16) & 0xff, (px >> 8) & 0xff, px & 0xff };

          double n = noise[(x >> 1) * 2];
          double cn = noise[(x >> 1) * 2 + 1];

          out[x * 3 + 0] = (guint8) CLAMP (c[0] * f * wb[0] + add + n + cn, 0, 255);
          out[x * 3 + 1] = (guint8) CLAMP (c[1] * f * wb[1] + add + n, 0, 255);
          out[x * 3 + 2] = (guint8) CLAMP (c[2] * f * wb[2] + add + n - cn, 0, 255);
        }
    }

  /* Separable [1 2 1] blur, then noise. */
  {
    g_autofree guint8 *hb = g_malloc ((gsize) w * h * 3);

    for (int y = 0; y < h; y++)
      {
        const guint8 *in = tmp + (gsize) y * w * 3;
        guint8 *o = hb + (gsize) y * w * 3;

        for (int x = 0; x < w; x++)
          {
            int xl = MAX (x - 1, 0), xr = MIN (x + 1, w - 1);

            for (int k = 0; k < 3; k++)
              o[x * 3 + k] = (guint8) ((in[xl * 3 + k] + 2 * in[x * 3 + k] + in[xr * 3 + k] + 2) >> 2);
          }
      }

    for (int y = 0; y < h; y++)
      {
        const guint8 *up = hb + (gsize) MAX (y - 1, 0) * w * 3;
        const guint8 *mid = hb + (gsize) y * w * 3;
        const guint8 *dn = hb + (gsize) MIN (y + 1, h - 1) * w * 3;
        guint8 *row = rgb + (gsize) y * w * 3;

        for (gsize i = 0; i < (gsize) w * 3; i++)
          row[i] = (guint8) ((up[i] + 2 * mid[i] + dn[i] + 2) >> 2);
      }
  }
}

/* PNG writing: cairo's writer is slow on noisy photos, GIO has zlib. */

static guint32 crc_table[256];

static void
crc_init (void)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
}

static guint32
crc_update (guint32       crc,
            const guint8 *buf,
            gsize         len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);

  return crc;
}

static void
png_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint8 be[4] = { (guint8) (len >> 24), (guint8) (len >> 16), (guint8) (len >> 8), (guint8) len };
  guint32 crc;

  g_byte_array_append (out, be, 4);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, (guint) len);
  crc = crc_update (0xffffffffu, (const guint8 *) type, 4);
  crc = crc_update (crc, data, len) ^ 0xffffffffu;
  be[0] = (guint8) (crc >> 24);
  be[1] = (guint8) (crc >> 16);
  be[2] = (guint8) (crc >> 8);
  be[3] = (guint8) crc;
  g_byte_array_append (out, be, 4);
}

static int
paeth (int a,
       int b,
       int c)
{
  int p = a + b - c;
  int pa = abs (p - a), pb = abs (p - b), pc = abs (p - c);

  if (pa <= pb && pa <= pc)
    return a;
  return pb <= pc ? b : c;
}

/* 8-bit RGB, adaptive filtering per row. */
static gboolean
write_png_rgb (const char    *path,
               const guint8  *rgb,
               int            w,
               int            h,
               GError       **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 3);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zs = g_converter_output_stream_new (mem, G_CONVERTER (z));
  gsize stride = (gsize) w * 3;
  g_autofree guint8 *line = g_malloc (4 * (stride + 1));
  guint8 ihdr[13] = { 0 };

  for (int y = 0; y < h; y++)
    {
      const guint8 *cur = rgb + y * stride;
      const guint8 *prev = y > 0 ? cur - stride : NULL;
      guint8 *cand[3] = { line, line + stride + 1, line + 2 * (stride + 1) };
      guint64 best_sum = G_MAXUINT64;
      int best = 0;

      cand[0][0] = 1;  /* sub */
      cand[1][0] = 2;  /* up */
      cand[2][0] = 4;  /* paeth */
      for (gsize i = 0; i < stride; i++)
        {
          int a = i >= 3 ? cur[i - 3] : 0;
          int b = prev != NULL ? prev[i] : 0;
          int c = prev != NULL && i >= 3 ? prev[i - 3] : 0;

          cand[0][i + 1] = (guint8) (cur[i] - a);
          cand[1][i + 1] = (guint8) (cur[i] - b);
          cand[2][i + 1] = (guint8) (cur[i] - paeth (a, b, c));
        }
      for (int k = 0; k < 3; k++)
        {
          guint64 sum = 0;

          for (gsize i = 1; i <= stride; i++)
            sum += (guint64) ABS ((gint8) cand[k][i]);
          if (sum < best_sum)
            {
              best_sum = sum;
              best = k;
            }
        }
      if (!g_output_stream_write_all (zs, cand[best], stride + 1, NULL, NULL, error))
        return FALSE;
    }
  if (!g_output_stream_close (zs, NULL, error))
    return FALSE;

  g_byte_array_append (out, signature, sizeof signature);
  ihdr[0] = (guint8) (w >> 24);
  ihdr[1] = (guint8) (w >> 16);
  ihdr[2] = (guint8) (w >> 8);
  ihdr[3] = (guint8) w;
  ihdr[4] = (guint8) (h >> 24);
  ihdr[5] = (guint8) (h >> 16);
  ihdr[6] = (guint8) (h >> 8);
  ihdr[7] = (guint8) h;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* truecolour */
  png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  png_chunk (out, "IDAT",
             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)));
  png_chunk (out, "IEND", NULL, 0);

  return g_file_set_contents (path, (const char *) out->data, out->len, error);
}

/* A soft reflection of the lamp on the glossy solder mask. */
static void
draw_glare (Img     *img,
            cairo_t *cr)
{
  GRand *r = img->rand;
  double a = rnd (r, 0, G_PI);
  double cx = rnd (r, 0.25, 0.75) * IMAGE_WIDTH;
  double cy = rnd (r, 0.25, 0.75) * IMAGE_HEIGHT;
  double half = rnd (r, 120, 320);
  double strength = rnd (r, 0.04, 0.09);
  cairo_pattern_t *p;

  cairo_save (cr);
  board_path (img, cr, 0.12);
  cairo_clip (cr);
  cairo_identity_matrix (cr);
  p = cairo_pattern_create_linear (cx - cos (a) * half, cy - sin (a) * half,
                                   cx + cos (a) * half, cy + sin (a) * half);
  cairo_pattern_add_color_stop_rgba (p, 0.0, 1, 1, 1, 0);
  cairo_pattern_add_color_stop_rgba (p, 0.5, 1, 1, 1, strength);
  cairo_pattern_add_color_stop_rgba (p, 1.0, 1, 1, 1, 0);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  cairo_restore (cr);
}

static void
render_image (Img        *img,
              const char *out_dir)
{
  GRand *r = img->rand;
  g_autofree char *name = g_strdup_printf ("pcb-%03d.png", img->index + 1);
  g_autofree char *path = g_build_filename (out_dir, "pcb", name, NULL);
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *pctx;
  cairo_font_options_t *fo;
  g_autofree guint8 *rgb = NULL;
  gboolean scratch;

  img->file = g_strdup_printf ("pcb/%s", name);

  layout_components (img);
  route_board (img);
  scratch = choose_defects (img);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, IMAGE_WIDTH, IMAGE_HEIGHT);
  cr = cairo_create (surface);

  pctx = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (pctx, fo);
  cairo_font_options_destroy (fo);
  pango_context_set_round_glyph_positions (pctx, FALSE);
  img->layout = pango_layout_new (pctx);
  g_object_unref (pctx);

  cairo_set_matrix (cr, &img->to_dev);
  draw_background (img, cr);
  draw_copper_layer (img, cr);
  draw_mask_texture (img, cr);
  draw_pads (img, cr);
  draw_silk (img, cr);
  if (scratch)
    draw_scratch (img, cr);

  for (guint i = 0; i < img->comps->len; i++)
    draw_component (img, cr, &g_array_index (img->comps, Comp, i));
  for (guint i = 0; i < img->comps->len; i++)
    {
      Comp *c = &g_array_index (img->comps, Comp, i);

      if (c->defect == DEFECT_BURN)
        draw_burn (img, cr, c);
      else if (c->defect == DEFECT_CONTAMINATION)
        draw_contamination (img, cr, c);
    }
  if (chance (r, 0.6))
    draw_glare (img, cr);

  cairo_destroy (cr);
  rgb = g_malloc ((gsize) IMAGE_WIDTH * IMAGE_HEIGHT * 3);
  post_process (img, surface, rgb);
  cairo_surface_destroy (surface);

  write_png_rgb (path, rgb, IMAGE_WIDTH, IMAGE_HEIGHT, &img->error);
}

/* Documents */

#define PAGE_W      595.276
#define PAGE_H      841.89
#define MARGIN_L    62.0
#define MARGIN_R    56.0
#define BODY_TOP    78.0
#define BODY_BOTTOM 780.0
#define BODY_W      (PAGE_W - MARGIN_L - MARGIN_R)

#define FONT_BODY   "DejaVu Sans 10.5"
#define FONT_SMALL  "DejaVu Sans 8.5"
#define FONT_TABLE  "DejaVu Sans 9.5"

typedef struct _Doc Doc;

typedef struct
{
  const char *file;
  const char *number;
  const char *revision;
  const char *title;
  const char *doc_type;
  const char *date;
  const char *org;
  const char *footer;
  void      (*write) (Doc *d);
} DocInfo;

struct _Doc
{
  cairo_t       *cr;
  PangoLayout   *layout;
  const DocInfo *info;
  double         y;
  int            page;
  int            total;
  const char    *heading;   /* drawn together with the next block */
};

/* Lays out @markup; returns its height in points. Draws it when @draw. */
static double
doc_text_at (Doc        *d,
             double      x,
             double      y,
             double      width,
             const char *font,
             const char *markup,
             PangoAlignment align,
             gboolean    draw)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (d->layout, desc);
  pango_layout_set_width (d->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (d->layout, align);
  pango_layout_set_justify (d->layout, FALSE);
  pango_layout_set_wrap (d->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (d->layout, markup, -1);
  pango_layout_get_size (d->layout, &w, &h);

  if (draw)
    {
      cairo_move_to (d->cr, x, y);
      pango_cairo_show_layout (d->cr, d->layout);
    }

  return (double) h / PANGO_SCALE;
}

static void
doc_page_begin (Doc *d)
{
  const DocInfo *in = d->info;
  cairo_t *cr = d->cr;
  g_autofree char *right = NULL;
  g_autofree char *page = NULL;

  if (in->revision != NULL)
    right = g_strdup_printf ("<b>%s</b>   Rev. %s", in->number, in->revision);
  else
    right = g_strdup_printf ("<b>%s</b>", in->number);

  d->page++;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  /* One line each; long names are shortened rather than wrapped. */
  pango_layout_set_ellipsize (d->layout, PANGO_ELLIPSIZE_END);
  doc_text_at (d, MARGIN_L, 30, BODY_W * 0.74, "DejaVu Sans Bold 9.5", in->org, PANGO_ALIGN_LEFT, TRUE);
  doc_text_at (d, MARGIN_L, 43, BODY_W * 0.70, "DejaVu Sans 8.5", in->title, PANGO_ALIGN_LEFT, TRUE);
  pango_layout_set_ellipsize (d->layout, PANGO_ELLIPSIZE_NONE);
  doc_text_at (d, MARGIN_L, 30, BODY_W, "DejaVu Sans 9.5", right, PANGO_ALIGN_RIGHT, TRUE);
  doc_text_at (d, MARGIN_L, 43, BODY_W, "DejaVu Sans 8.5", in->date, PANGO_ALIGN_RIGHT, TRUE);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, MARGIN_L, 58);
  cairo_line_to (cr, PAGE_W - MARGIN_R, 58);
  cairo_stroke (cr);

  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN_L, BODY_BOTTOM + 18);
  cairo_line_to (cr, PAGE_W - MARGIN_R, BODY_BOTTOM + 18);
  cairo_stroke (cr);
  doc_text_at (d, MARGIN_L, BODY_BOTTOM + 23, BODY_W * 0.75, "DejaVu Sans 8", in->footer, PANGO_ALIGN_LEFT, TRUE);
  if (d->total > 0)
    page = g_strdup_printf ("Page %d of %d", d->page, d->total);
  else
    page = g_strdup_printf ("Page %d of 99", d->page);
  doc_text_at (d, MARGIN_L, BODY_BOTTOM + 23, BODY_W, "DejaVu Sans 8.5", page, PANGO_ALIGN_RIGHT, TRUE);

  d->y = BODY_TOP;
}

static void
doc_page_break (Doc *d)
{
  cairo_show_page (d->cr);
  doc_page_begin (d);
}

static void
doc_need (Doc    *d,
          double  h)
{
  if (d->y + h > BODY_BOTTOM)
    doc_page_break (d);
}

static void
doc_space (Doc    *d,
           double  h)
{
  d->y += h;
}

static void
doc_title (Doc        *d,
           const char *title,
           const char *subtitle)
{
  d->y += doc_text_at (d, MARGIN_L, d->y, BODY_W, "DejaVu Sans Bold 18", title, PANGO_ALIGN_LEFT, TRUE) + 4;
  if (subtitle != NULL)
    d->y += doc_text_at (d, MARGIN_L, d->y, BODY_W, "DejaVu Sans 12", subtitle, PANGO_ALIGN_LEFT, TRUE);
  d->y += 12;
}

static void
doc_heading (Doc        *d,
             const char *text)
{
  d->heading = text;
}

/* Makes room for a block of height @h, keeping a pending heading with it. */
static void
doc_begin_block (Doc    *d,
                 double  h)
{
  const char *heading = d->heading;
  double hh;

  if (heading == NULL)
    {
      doc_need (d, h);
      return;
    }

  d->heading = NULL;
  hh = doc_text_at (d, MARGIN_L, 0, BODY_W, "DejaVu Sans Bold 12", heading, PANGO_ALIGN_LEFT, FALSE);
  doc_need (d, hh + 11 + MIN (h, 160));
  d->y += 6;
  d->y += doc_text_at (d, MARGIN_L, d->y, BODY_W, "DejaVu Sans Bold 12", heading, PANGO_ALIGN_LEFT, TRUE) + 5;
  doc_need (d, h);
}

static void
doc_para (Doc        *d,
          const char *markup)
{
  double h = doc_text_at (d, MARGIN_L, 0, BODY_W, FONT_BODY, markup, PANGO_ALIGN_LEFT, FALSE);

  doc_begin_block (d, h);
  d->y += doc_text_at (d, MARGIN_L, d->y, BODY_W, FONT_BODY, markup, PANGO_ALIGN_LEFT, TRUE) + 6;
}

/* A numbered step or a bullet with a hanging indent. */
static void
doc_item (Doc        *d,
          const char *label,
          const char *markup,
          double      indent)
{
  double x = MARGIN_L + indent;
  double hang = strlen (label) > 4 ? 40 : strlen (label) > 2 ? 28 : 14;
  double h = doc_text_at (d, x + hang, 0, BODY_W - indent - hang, FONT_BODY, markup, PANGO_ALIGN_LEFT, FALSE);

  doc_begin_block (d, h);
  doc_text_at (d, x, d->y, hang, FONT_BODY, label, PANGO_ALIGN_LEFT, TRUE);
  d->y += doc_text_at (d, x + hang, d->y, BODY_W - indent - hang, FONT_BODY, markup, PANGO_ALIGN_LEFT, TRUE) + 4;
}

static void
doc_items (Doc                *d,
           const char * const *pairs,
           double              indent)
{
  for (int i = 0; pairs[i] != NULL; i += 2)
    doc_item (d, pairs[i], pairs[i + 1], indent);
}

#define CELL_PAD 3.0

static void
doc_table_row (Doc          *d,
               const double *xs,
               int           ncols,
               GPtrArray    *text,
               int           row,
               double        height,
               gboolean      shaded,
               const char   *font)
{
  cairo_t *cr = d->cr;

  if (shaded)
    {
      cairo_rectangle (cr, xs[0], d->y, xs[ncols] - xs[0], height);
      cairo_set_source_rgb (cr, 0.88, 0.89, 0.90);
      cairo_fill (cr);
    }

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  for (int c = 0; c < ncols; c++)
    doc_text_at (d, xs[c] + CELL_PAD, d->y + CELL_PAD, xs[c + 1] - xs[c] - 2 * CELL_PAD,
                 font, g_ptr_array_index (text, row * ncols + c), PANGO_ALIGN_LEFT, TRUE);

  cairo_set_line_width (cr, 0.5);
  cairo_rectangle (cr, xs[0], d->y, xs[ncols] - xs[0], height);
  for (int c = 1; c < ncols; c++)
    {
      cairo_move_to (cr, xs[c], d->y);
      cairo_line_to (cr, xs[c], d->y + height);
    }
  cairo_stroke (cr);

  d->y += height;
}

/* A ruled table; @cells is row-major, the first @header_rows rows are
 * shaded and repeated after a page break. */
static void
doc_table (Doc                *d,
           const double       *widths,
           int                 ncols,
           const char * const *cells,
           int                 ncells,
           int                 header_rows,
           const char         *font)
{
  int nrows = ncells / ncols;
  g_autofree double *heights = g_new0 (double, nrows);
  g_autoptr(GPtrArray) text = g_ptr_array_new_with_free_func (g_free);
  double xs[16];

  g_assert (ncols < 16);
  xs[0] = MARGIN_L;
  for (int c = 0; c < ncols; c++)
    xs[c + 1] = xs[c] + widths[c] * BODY_W;

  for (int i = 0; i < nrows * ncols; i++)
    g_ptr_array_add (text, i < header_rows * ncols ? g_strdup_printf ("<b>%s</b>", cells[i]) : g_strdup (cells[i]));

  for (int r = 0; r < nrows; r++)
    for (int c = 0; c < ncols; c++)
      {
        double h = doc_text_at (d, 0, 0, xs[c + 1] - xs[c] - 2 * CELL_PAD, font,
                                g_ptr_array_index (text, r * ncols + c), PANGO_ALIGN_LEFT, FALSE);

        heights[r] = MAX (heights[r], h + 2 * CELL_PAD);
      }

  /* The header row stays with the first row of data. */
  doc_begin_block (d, heights[0] + (header_rows > 0 && nrows > header_rows ? heights[header_rows] : 0));

  for (int r = 0; r < nrows; r++)
    {
      gboolean header = r < header_rows;

      if (d->y + heights[r] > BODY_BOTTOM && !header)
        {
          doc_page_break (d);
          for (int hr = 0; hr < header_rows; hr++)
            doc_table_row (d, xs, ncols, text, hr, heights[hr], TRUE, font);
        }
      doc_table_row (d, xs, ncols, text, r, heights[r], header, font);
    }

  d->y += 8;
}

/* A boxed note such as a caution. */
static void
doc_box (Doc        *d,
         const char *markup)
{
  double h = doc_text_at (d, 0, 0, BODY_W - 16, FONT_BODY, markup, PANGO_ALIGN_LEFT, FALSE) + 12;

  doc_begin_block (d, h);
  cairo_set_line_width (d->cr, 1.2);
  cairo_rectangle (d->cr, MARGIN_L, d->y, BODY_W, h);
  cairo_stroke (d->cr);
  doc_text_at (d, MARGIN_L + 8, d->y + 6, BODY_W - 16, FONT_BODY, markup, PANGO_ALIGN_LEFT, TRUE);
  d->y += h + 8;
}

/* Signature lines: pairs of role and name. */
static void
doc_signatures (Doc                *d,
                const char * const *pairs)
{
  int n = 0;

  while (pairs[2 * n] != NULL)
    n++;
  doc_begin_block (d, 60.0 * ((n + 1) / 2) + 10);
  d->y += 10;

  for (int i = 0; i < n; i++)
    {
      double x = MARGIN_L + (i % 2) * (BODY_W / 2 + 10);
      double w = BODY_W / 2 - 10;
      double y = d->y + (i / 2) * 60.0;
      g_autofree char *who = g_strdup_printf ("<b>%s</b>\n%s", pairs[2 * i], pairs[2 * i + 1]);

      doc_text_at (d, x, y, w, FONT_SMALL, who, PANGO_ALIGN_LEFT, TRUE);
      cairo_set_line_width (d->cr, 0.6);
      cairo_move_to (d->cr, x, y + 44);
      cairo_line_to (d->cr, x + w * 0.62, y + 44);
      cairo_move_to (d->cr, x + w * 0.70, y + 44);
      cairo_line_to (d->cr, x + w, y + 44);
      cairo_stroke (d->cr);
      doc_text_at (d, x, y + 46, w, "DejaVu Sans 7.5", "Signature", PANGO_ALIGN_LEFT, TRUE);
      doc_text_at (d, x + w * 0.70, y + 46, w * 0.3, "DejaVu Sans 7.5", "Date", PANGO_ALIGN_LEFT, TRUE);
    }

  d->y += 60.0 * ((n + 1) / 2);
}

/* Key and value rows, keys in bold. */
static void
doc_control_block (Doc                *d,
                   const char * const *kv)
{
  static const double widths[] = { 0.28, 0.72 };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; kv[i] != NULL; i++)
    g_ptr_array_add (cells, i % 2 == 0 ? g_strdup_printf ("<b>%s</b>", kv[i]) : g_strdup (kv[i]));
  doc_table (d, widths, 2, (const char * const *) cells->pdata, (int) cells->len, 0, FONT_TABLE);
}

/* Document contents */

#define ORG_NRR  "Northfield Research Reactor — Radiation Protection Group"
#define ORG_CAL  "Eastbrook Dosimetry &amp; Calibration Services Ltd"
#define FOOT_PROC "Controlled document. Uncontrolled when printed — verify the current revision in the document system before use."
#define FOOT_CAL  "This certificate shall not be reproduced except in full without the written approval of the laboratory."

static void
write_rsp014 (Doc *d)
{
  static const char * const control[] = {
    "Document No.", "RSP-014",
    "Title", "Contamination Surveys with Portable Instruments",
    "Revision", "3",
    "Effective date", "1 February 2024",
    "Supersedes", "Revision 2 (15 March 2021)",
    "Prepared by", "M. Lindqvist, Health Physicist",
    "Reviewed by", "J. Ramirez, Senior Radiation Protection Technician",
    "Approved by", "Dr A. Okafor, Radiation Safety Officer",
    "Next review", "1 February 2027",
    NULL
  };
  static const double def_w[] = { 0.26, 0.74 };
  static const char * const defs[] = {
    "Term", "Meaning",
    "Removable contamination", "Radioactive material that can be transferred from a surface by a dry wipe with moderate pressure.",
    "Fixed contamination", "Activity that remains on a surface after removable contamination has been removed; estimated as total minus removable.",
    "Wipe (smear)", "A 47 mm filter paper wiped over 100 cm² of surface with moderate pressure in an S-shaped pattern.",
    "Net count rate", "Gross count rate minus the background count rate of the same instrument at the survey location.",
    "MDC", "Minimum detectable concentration of surface activity, calculated as in step 7.5.4.",
    "Action level", "A survey result that requires the response given in Table 2. Action levels are not dose limits.",
  };
  static const char * const resp[] = {
    "4.1", "The <b>Radiation Safety Officer (RSO)</b> approves this procedure, sets the action levels and reviews survey trends each quarter.",
    "4.2", "The <b>RP Supervisor</b> schedules routine surveys (Table 1), reviews completed survey records within two working days and makes sure that instruments in use are within calibration.",
    "4.3", "<b>RP technicians and trained radiation workers</b> perform surveys as described here, record the results on form RSP-014-F1 and report any result above an action level to the RP Supervisor immediately.",
    "4.4", "<b>Area supervisors</b> give access for surveys and stop work when Radiation Protection asks them to.",
    NULL
  };
  static const char * const prec[] = {
    "5.1", "Wear disposable gloves and a laboratory coat when taking wipes. Change gloves between areas with different contamination potential.",
    "5.2", "Do not use an instrument whose calibration has expired, which failed its daily source check, or whose battery check is below the mark.",
    "5.3", "The pancake probe has a thin mica window (1.7 mg/cm²). Do not touch the surface: hold the window about 1 cm (one finger width) above it. A punctured window makes the probe unusable.",
    "5.4", "GM detectors saturate in high radiation fields. Where the ambient dose rate exceeds 100 µSv/h, measure with the ion chamber and take wipes instead of direct frisks.",
    "5.5", "Pancake probes do not detect H-3 and detect C-14 and S-35 with low efficiency (about 3 % in 4π). Use wipes counted by liquid scintillation for these nuclides.",
    "5.6", "Measure background at the survey location, away from the surfaces being surveyed. Background must be below 100 cpm for contamination surveys; otherwise count wipes in a lower-background area.",
    NULL
  };
  static const char * const equip[] = {
    "•", "Ratemeter with GM pancake probe (15.5 cm² window), calibrated within the past 12 months (CM-2 with PB-15 probe, or equivalent).",
    "•", "Ion chamber survey meter (RO-7 or equivalent) for dose-rate measurements.",
    "•", "Cs-137 check source, about 3 kBq, with the reference reading posted on the instrument.",
    "•", "47 mm filter papers, numbered envelopes, marker, survey map of the area and form RSP-014-F1.",
    "•", "Low-background counter LB-2, or liquid scintillation counter for low-energy beta emitters.",
    NULL
  };
  static const char * const prep[] = {
    "7.1.1", "Check the calibration label. The calibration due date must be later than today.",
    "7.1.2", "Perform the battery check and the source check. The check-source reading must be within ±20 % of the reference reading posted on the instrument. Record the result in the instrument log book.",
    "7.1.3", "Measure background at the survey location for at least one minute with the slow response setting, and record it.",
    NULL
  };
  static const char * const frisk[] = {
    "7.2.1", "Hold the probe about 1 cm from the surface and move it at no more than 5 cm/s (about one probe width per second).",
    "7.2.2", "If the count rate increases audibly, stop and hold the probe over the spot for 5 to 10 s to obtain a stable reading.",
    "7.2.3", "Record the highest gross count rate and its location on the survey map.",
    NULL
  };
  static const char * const wipes[] = {
    "7.3.1", "Wipe 100 cm² (10 cm × 10 cm) with moderate pressure. Number each wipe and mark its location on the map.",
    "7.3.2", "Count each wipe with the pancake probe in a low-background area, or in the LB-2 counter, for one minute.",
    "7.3.3", "Where H-3, C-14 or S-35 may be present, send the wipes for liquid scintillation counting.",
    NULL
  };
  static const char * const dose[] = {
    "7.4.1", "Measure the general area dose rate at 1 m above the floor, and the dose rate at 30 cm from the highest reading point.",
    "7.4.2", "Use the ion chamber for all dose rates above 10 µSv/h; GM-based meters may under-respond in pulsed or high fields.",
    NULL
  };
  static const char * const calc[] = {
    "7.5.1", "Net count rate: <i>R</i><sub>n</sub> = <i>R</i><sub>g</sub> − <i>R</i><sub>b</sub> (cpm).",
    "7.5.2", "Total surface activity (direct frisk): <i>A</i> = <i>R</i><sub>n</sub> / (ε<sub>4π</sub> × <i>A</i><sub>p</sub>/100) in dpm/100 cm², where ε<sub>4π</sub> is the total efficiency from the calibration certificate and <i>A</i><sub>p</sub> = 15.5 cm² is the probe area.",
    "7.5.3", "Removable activity (wipe): <i>A</i> = <i>R</i><sub>n</sub> / ε<sub>4π</sub> in dpm/100 cm². Divide by 6,000 to obtain Bq/cm².",
    "7.5.4", "Minimum detectable concentration for a static count of time <i>t</i> (min): MDC = (3 + 4.65 √(<i>R</i><sub>b</sub> <i>t</i>)) / (<i>t</i> × ε<sub>4π</sub>) for wipes.",
    NULL
  };
  static const double freq_w[] = { 0.34, 0.30, 0.36 };
  static const char * const freq[] = {
    "Area", "Dose rate", "Contamination (wipes)",
    "Reactor pool deck", "Each working day", "Weekly, 10 wipes",
    "Radiochemistry laboratories B-110 to B-116", "Weekly", "After each use of unsealed sources above 37 MBq; otherwise weekly",
    "Hot Cell Gallery", "Weekly", "Weekly",
    "Waste Storage Bay", "Weekly", "Monthly",
    "Source Vault", "Monthly and after each source movement", "Monthly",
    "Counting Room, offices, corridors", "Monthly", "Quarterly",
  };
  static const double act_w[] = { 0.27, 0.30, 0.43 };
  static const char * const act[] = {
    "Measurement", "Action level", "Required action",
    "Removable beta-gamma (wipe)", "&gt; 1,000 dpm/100 cm² (0.17 Bq/cm²)", "Post as Contamination Area, decontaminate, re-survey; notify the RP Supervisor.",
    "Removable alpha (wipe)", "&gt; 20 dpm/100 cm²", "Stop work, restrict access and notify the RSO.",
    "Total beta-gamma (direct frisk)", "&gt; 5,000 dpm/100 cm², or &gt; 1,000 cpm above background with the pancake probe", "Decontaminate. If it cannot be removed, label as fixed contamination and record.",
    "Ambient dose rate", "&gt; 25 µSv/h in an area not posted as a Radiation Area", "Notify the RP Supervisor, find the source, shield or post the area.",
    "Dose rate at 30 cm", "&gt; 1 mSv/h", "High Radiation Area controls per RSP-009; notify the RSO immediately.",
    "Skin or personal clothing", "Any reading distinguishable from background", "Personnel decontamination per RSP-019.",
  };
  static const char * const records[] = {
    "10.1", "Record the results on form RSP-014-F1, one form per area and survey, with instrument model, serial number, calibration due date, background, MDC, the survey map and your signature.",
    "10.2", "Enter the results in the RP database within two working days. Keep the original forms for the life of the facility licence plus three years.",
    "10.3", "Raise a Condition Report for every result above an action level.",
    NULL
  };
  static const char * const refs[] = {
    "•", "RPP-001 Radiation Protection Program, Rev. 7",
    "•", "RSP-009 High Radiation Area Access Control; RSP-017 Air Sampling; RSP-019 Personnel Decontamination; RSP-030 Release of Materials",
    "•", "ISO 7503-1:2016, Measurement of radioactivity — Measurement and evaluation of surface contamination — Part 1",
    "•", "NUREG-1507, Minimum Detectable Concentrations with Typical Radiation Survey Instruments",
    "•", "ANSI N323AB-2013, Radiation Protection Instrumentation Test and Calibration",
    NULL
  };
  static const double rev_w[] = { 0.08, 0.16, 0.76 };
  static const char * const revs[] = {
    "Rev.", "Date", "Description of change",
    "0", "2012-05-10", "Initial issue.",
    "1", "2016-09-01", "Hot Cell Gallery added; action levels also given in Bq/cm².",
    "2", "2021-03-15", "CM-2/PB-15 instruments introduced; MDC formula per NUREG-1507.",
    "3", "2024-02-01", "Ion chamber above 100 µSv/h (5.4); liquid scintillation for H-3/C-14/S-35 wipes (7.3.3); Table 1 updated.",
  };
  static const double form_w[] = { 0.06, 0.22, 0.10, 0.09, 0.12, 0.09, 0.16, 0.16 };
  static const char * const row_numbers[] = { "", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14" };
  const char *form[8 * 15] = {
    "No.", "Location", "Gross cpm", "Net cpm", "dpm/100 cm²", "Wipe No.", "Removable dpm/100 cm²", "µSv/h at 30 cm",
  };

  doc_title (d, "Contamination Surveys with Portable Instruments", "Radiation Safety Procedure RSP-014");
  doc_control_block (d, control);

  doc_heading (d, "1.  PURPOSE");
  doc_para (d, "This procedure describes how to perform and document surveys for fixed and removable radioactive surface contamination with portable count-rate instruments and wipe (smear) samples in areas controlled by the Northfield Research Reactor (NRR). It implements the contamination control requirements of the Radiation Protection Program, RPP-001 Section 7.");

  doc_heading (d, "2.  SCOPE");
  doc_item (d, "2.1", "This procedure applies to routine, job-coverage and release surveys performed by Radiation Protection (RP) staff and by trained radiation workers in the Reactor Building, the Building B radiochemistry laboratories, the Hot Cell Gallery, the Waste Storage Bay and the Source Vault.", 0);
  doc_item (d, "2.2", "It does not cover airborne contamination sampling (RSP-017), personnel decontamination (RSP-019) or the release of items off site (RSP-030), which requires laboratory analysis.", 0);

  doc_heading (d, "3.  DEFINITIONS");
  doc_table (d, def_w, 2, defs, G_N_ELEMENTS (defs), 1, FONT_TABLE);

  doc_heading (d, "4.  RESPONSIBILITIES");
  doc_items (d, resp, 0);

  doc_heading (d, "5.  PRECAUTIONS AND LIMITATIONS");
  doc_items (d, prec, 0);

  doc_heading (d, "6.  EQUIPMENT");
  doc_items (d, equip, 6);

  doc_heading (d, "7.  PROCEDURE");
  doc_para (d, "<b>7.1  Preparation</b>");
  doc_items (d, prep, 6);
  doc_para (d, "<b>7.2  Direct frisk (total contamination)</b>");
  doc_items (d, frisk, 6);
  doc_para (d, "<b>7.3  Removable contamination (wipes)</b>");
  doc_items (d, wipes, 6);
  doc_para (d, "<b>7.4  Dose-rate measurements</b>");
  doc_items (d, dose, 6);
  doc_para (d, "<b>7.5  Calculations</b>");
  doc_items (d, calc, 6);
  doc_box (d, "<b>Worked example.</b> A wipe from the B-114 floor gives 312 cpm gross; background is 48 cpm; the total efficiency for Cs-137 is 22 % (certificate EDC-2024-03241). Net count rate 264 cpm; removable activity 264 / 0.22 = 1,200 dpm/100 cm² = 0.20 Bq/cm². This exceeds the action level of 1,000 dpm/100 cm² (Table 2): post the area, decontaminate and re-survey. MDC for a one-minute count: (3 + 4.65 × √48) / 0.22 = 740 dpm/100 cm².");

  doc_heading (d, "8.  ACTION LEVELS");
  doc_para (d, "<b>Table 2.</b> Action levels for contamination and dose-rate surveys.");
  doc_table (d, act_w, 3, act, G_N_ELEMENTS (act), 1, FONT_TABLE);

  doc_heading (d, "9.  ROUTINE SURVEY FREQUENCY");
  doc_para (d, "<b>Table 1.</b> Minimum frequency of routine surveys. Job-coverage surveys are additional.");
  doc_table (d, freq_w, 3, freq, G_N_ELEMENTS (freq), 1, FONT_TABLE);

  doc_heading (d, "10.  RECORDS");
  doc_items (d, records, 0);

  doc_heading (d, "11.  REFERENCES");
  doc_items (d, refs, 6);

  doc_heading (d, "12.  REVISION HISTORY");
  doc_table (d, rev_w, 3, revs, G_N_ELEMENTS (revs), 1, FONT_TABLE);

  /* Attachment: the blank survey form. */
  doc_page_break (d);
  doc_title (d, "Attachment 1 — Form RSP-014-F1", "Contamination Survey Record");
  doc_para (d, "Area: ____________________________   Date: ____________   Time: ________");
  doc_para (d, "Survey type:   ☐ Routine    ☐ Job coverage    ☐ Release    ☐ Re-survey");
  doc_para (d, "Instrument / serial: ______________________   Calibration due: ____________");
  doc_para (d, "Check source: ______ cpm (reference ______ cpm)    Background: ______ cpm");
  doc_para (d, "Efficiency ε<sub>4π</sub>: ______ %    MDC: __________ dpm/100 cm²    Ambient: ______ µSv/h");
  for (int i = 8; i < 8 * 15; i++)
    form[i] = (i % 8 == 0) ? row_numbers[i / 8] : " ";
  doc_table (d, form_w, 8, form, 8 * 15, 1, FONT_TABLE);
  doc_para (d, "Remarks (results above action levels, actions taken, Condition Report number):");
  doc_space (d, 40);
  {
    static const char * const sig[] = {
      "Surveyed by", "Name: ____________________________",
      "Reviewed by (RP Supervisor)", "Name: ____________________________",
      NULL
    };
    doc_signatures (d, sig);
  }
}

static void
write_rsp022 (Doc *d)
{
  static const char * const control[] = {
    "Document No.", "RSP-022",
    "Title", "Leak Testing of Sealed Radioactive Sources",
    "Revision", "2",
    "Effective date", "15 September 2023",
    "Supersedes", "Revision 1 (2 June 2019)",
    "Prepared by", "M. Lindqvist, Health Physicist",
    "Approved by", "Dr A. Okafor, Radiation Safety Officer",
    NULL
  };
  static const char * const scope[] = {
    "2.1", "This procedure applies to every sealed source held under the NRR licence, including check sources, calibration sources, electron-capture detector foils, the Cs-137 irradiator source and the Am-Be neutron source.",
    "2.2", "The following are exempt from leak testing: sources containing only H-3; sources of beta or gamma emitters of 3.7 MBq (100 µCi) or less; sources of alpha emitters of 0.37 MBq (10 µCi) or less; gaseous sources; and sources in storage and not in use, which must be tested before they are used again.",
    NULL
  };
  static const char * const freq[] = {
    "3.1", "Sources of beta and gamma emitters: at intervals not exceeding <b>6 months</b>.",
    "3.2", "Sources of alpha emitters: at intervals not exceeding <b>3 months</b>.",
    "3.3", "New sources: before first use, unless the supplier's certificate shows a leak test within the previous 6 months.",
    "3.4", "Any source that may have been damaged (dropped, crushed, exposed to fire or corrosive liquids): immediately, before further use.",
    NULL
  };
  static const char * const prec[] = {
    "5.1", "Never touch a source with the fingers. Use forceps or tongs and work quickly, behind shielding where available.",
    "5.2", "Measure the dose rate before handling. For high-activity sources (irradiator, Am-Be) <b>do not expose the source</b>: wipe the nearest accessible surface where leaked material would collect, such as the irradiator port or the source holder.",
    "5.3", "Change gloves between sources to avoid cross-contamination of the wipes.",
    "5.4", "Do not use ethanol on sources with plastic windows or painted identification; use water instead.",
    NULL
  };
  static const char * const proc[] = {
    "7.1", "Print the leak-test sheet (RSP-022-F1) from the source inventory; it lists source ID, nuclide, activity and location.",
    "7.2", "Moisten a 25 mm filter-paper disc with ethanol or water, held in forceps.",
    "7.3", "Wipe the source surface, or the nearest accessible surface (5.2), with moderate pressure.",
    "7.4", "Place the wipe in an envelope marked with the source ID and date. Put on new gloves.",
    "7.5", "Count the wipes: gamma emitters in the WC-3 NaI well counter for 5 minutes; beta emitters in the LB-2 counter (beta channel) for 10 minutes; alpha emitters in the LB-2 alpha channel for 10 minutes; Ni-63 and H-3 by liquid scintillation. Count a background and a reference standard at the start of each counting session.",
    "7.6", "Calculate the removable activity as <i>A</i> = (<i>N</i><sub>g</sub> − <i>N</i><sub>b</sub>) / (<i>t</i> × ε) in Bq, where <i>N</i> are counts, <i>t</i> the counting time in seconds and ε the counting efficiency.",
    "7.7", "Calculate the minimum detectable activity as MDA = (2.71 + 4.65 √(<i>N</i><sub>b</sub>)) / (<i>t</i> × ε). The MDA must not exceed 18.5 Bq (10 % of the acceptance limit). If it does, count longer.",
    NULL
  };
  static const double eff_w[] = { 0.16, 0.22, 0.13, 0.12, 0.17, 0.20 };
  static const char * const eff[] = {
    "Nuclide", "Counter", "Efficiency", "Count time", "Background", "MDA",
    "Cs-137", "WC-3 NaI well (662 keV)", "0.31", "5 min", "85 cpm", "1.1 Bq",
    "Co-60", "WC-3 NaI well", "0.28", "5 min", "85 cpm", "1.2 Bq",
    "Ba-133", "WC-3 NaI well", "0.45", "5 min", "85 cpm", "0.7 Bq",
    "Sr-90/Y-90", "LB-2 beta channel", "0.42", "10 min", "1.2 cpm", "0.08 Bq",
    "Am-241", "LB-2 alpha channel", "0.33", "10 min", "0.1 cpm", "0.04 Bq",
    "Ni-63", "Liquid scintillation", "0.65", "10 min", "18 cpm", "0.17 Bq",
  };
  static const char * const accept[] = {
    "8.1", "<b>Pass:</b> removable activity below 185 Bq (0.005 µCi).",
    "8.2", "<b>Fail:</b> removable activity of 185 Bq or more. The source is considered leaking. Then:",
    "a)", "withdraw the source from use immediately, seal it in two plastic bags and store it in the Source Vault;",
    "b)", "survey the storage and use locations and the people who handled the source (RSP-014);",
    "c)", "notify the RSO the same day. The RSO reports to the regulator within 5 days, as required by licence condition 14;",
    "d)", "arrange repair by the manufacturer or disposal as radioactive waste.",
    NULL
  };
  static const char * const records[] = {
    "9.1", "Record for each test: source ID, model and serial number, nuclide, activity and reference date, test date, counter, counting time, wipe result in Bq, MDA, pass or fail, and the tester's name.",
    "9.2", "Keep leak-test records for three years after the test, and the record of a failed test until the source has been disposed of.",
    NULL
  };
  static const double rev_w[] = { 0.08, 0.16, 0.76 };
  static const char * const revs[] = {
    "Rev.", "Date", "Description of change",
    "0", "2014-01-20", "Initial issue.",
    "1", "2019-06-02", "MDA requirement of 18.5 Bq added; LB-2 counter replaces the gas-flow proportional counter.",
    "2", "2023-09-15", "Exemptions aligned with the licence amendment of 2023; Ni-63 counted by liquid scintillation.",
  };

  doc_title (d, "Leak Testing of Sealed Radioactive Sources", "Radiation Safety Procedure RSP-022");
  doc_control_block (d, control);

  doc_heading (d, "1.  PURPOSE");
  doc_para (d, "To verify by wipe test that sealed radioactive sources are not leaking, as required by licence condition 14 and by RPP-001 Section 9, and to define the response when a source fails the test.");
  doc_heading (d, "2.  SCOPE");
  doc_items (d, scope, 0);
  doc_heading (d, "3.  FREQUENCY");
  doc_items (d, freq, 0);
  doc_heading (d, "4.  RESPONSIBILITIES");
  doc_para (d, "The RP Supervisor keeps the sealed source inventory and schedules the tests. RP technicians take and count the wipes. The RSO reviews every failed test and reports to the regulator when required.");
  doc_heading (d, "5.  PRECAUTIONS");
  doc_items (d, prec, 0);
  doc_heading (d, "6.  EQUIPMENT");
  doc_para (d, "Leak-test kit (25 mm filter-paper discs, ethanol, deionised water, forceps, envelopes), WC-3 NaI(Tl) well counter, LB-2 low-background alpha/beta counter, liquid scintillation counter, survey meter.");
  doc_heading (d, "7.  PROCEDURE");
  doc_items (d, proc, 0);
  doc_para (d, "<b>Table 1.</b> Typical counting efficiencies and minimum detectable activities.");
  doc_table (d, eff_w, 6, eff, G_N_ELEMENTS (eff), 1, FONT_TABLE);
  doc_box (d, "<b>Example.</b> Wipe of Sr-90 source SS-0117, counted 10 min on the LB-2 beta channel: 162 counts gross, 12 counts background. <i>A</i> = (162 − 12) / (600 s × 0.42) = 0.60 Bq. MDA = (2.71 + 4.65 × √12) / (600 × 0.42) = 0.075 Bq. Result 0.60 Bq &lt; 185 Bq: <b>pass</b>.");
  doc_heading (d, "8.  ACCEPTANCE CRITERIA");
  doc_items (d, accept, 0);
  doc_heading (d, "9.  RECORDS");
  doc_items (d, records, 0);
  doc_heading (d, "10.  REFERENCES");
  doc_para (d, "ISO 9978:2020, Radiation protection — Sealed sources — Leakage test methods. RPP-001 Radiation Protection Program. NRR licence, condition 14. RSP-014 Contamination Surveys with Portable Instruments.");
  doc_heading (d, "11.  REVISION HISTORY");
  doc_table (d, rev_w, 3, revs, G_N_ELEMENTS (revs), 1, FONT_TABLE);
}

static void
write_cal_ion_chamber (Doc *d)
{
  static const char * const head[] = {
    "Certificate No.", "EDC-2024-03117",
    "Customer", "Northfield Research Reactor, Radiation Protection Group, 1 Reactor Road, Northfield",
    "Instrument", "Meridian RO-7 ion chamber survey meter",
    "Serial No.", "RO7-10482 (customer asset IC-01)",
    "Detector", "230 cm³ vented air ionisation chamber, 200 mg/cm² wall, beta slide closed",
    "Ranges", "0–50 µSv/h, 0–500 µSv/h, 0–5 mSv/h, 0–50 mSv/h",
    "Quantity", "Ambient dose equivalent rate, H*(10)",
    "Date received", "2024-03-06",
    "Date of calibration", "2024-03-12",
    "Date of issue", "2024-03-14",
    "Calibration due", "<b>2025-03-12</b>",
    "Procedure", "EDC-WI-07 Calibration of photon dose-rate meters, issue 11",
    NULL
  };
  static const char * const ref[] = {
    "Radiation field", "Cs-137 collimated beam irradiator, source s/n CS-8841, 370 GBq (10 Ci) on 2010-04-01; 268 GBq on the date of calibration. Lead attenuators (×10, ×100, ×1000) for the lower ranges.",
    "Reference standard", "Transfer ionisation chamber TS-2 s/n 2291 with electrometer s/n 6610, calibrated by the National Physical Standards Laboratory, certificate NPSL/IR/2023/0872, valid until 2025-06-30.",
    "Conversion", "Air kerma to H*(10) with h*<sub>K</sub>(10) = 1.20 Sv/Gy for Cs-137 (ISO 4037-3).",
    "Traceability", "Measurements are traceable to national standards through the reference standard above.",
    "Conditions", "Temperature 21.3 °C, pressure 100.8 kPa, relative humidity 41 %. Readings are not corrected for air density (vented chamber; correction factor 0.993 at calibration).",
    "Uncertainty", "The expanded uncertainty of the reference dose rate is 5.8 % (k = 2, approximately 95 % confidence).",
    NULL
  };
  static const double res_w[] = { 0.16, 0.15, 0.11, 0.12, 0.11, 0.12, 0.12, 0.11 };
  static const char * const res[] = {
    "Range", "Reference H*(10) rate", "As found reading", "As found deviation", "As left reading", "As left deviation", "Tolerance", "Result",
    "0–50 µSv/h", "10.0 µSv/h", "10.9", "+9.0 %", "10.2", "+2.0 %", "±10 %", "Pass",
    "0–50 µSv/h", "40.0 µSv/h", "43.1", "+7.8 %", "40.6", "+1.5 %", "±10 %", "Pass",
    "0–500 µSv/h", "100 µSv/h", "108", "+8.0 %", "101", "+1.0 %", "±10 %", "Pass",
    "0–500 µSv/h", "400 µSv/h", "421", "+5.3 %", "404", "+1.0 %", "±10 %", "Pass",
    "0–5 mSv/h", "1.00 mSv/h", "1.06", "+6.0 %", "0.99", "−1.0 %", "±10 %", "Pass",
    "0–5 mSv/h", "4.00 mSv/h", "4.11", "+2.8 %", "4.03", "+0.8 %", "±10 %", "Pass",
    "0–50 mSv/h", "10.0 mSv/h", "10.3", "+3.0 %", "10.1", "+1.0 %", "±10 %", "Pass",
    "0–50 mSv/h", "40.0 mSv/h", "39.2", "−2.0 %", "39.6", "−1.0 %", "±10 %", "Pass",
  };
  static const double chk_w[] = { 0.40, 0.35, 0.25 };
  static const char * const checks[] = {
    "Check", "Result", "Criterion",
    "Battery check (4 × AA)", "5.9 V, in the green band", "In band",
    "Zero and electronic check", "Zero 0.0 µSv/h on all ranges", "Within ±1 digit",
    "Response time, 0–90 % (0–50 µSv/h range)", "4.5 s", "≤ 8 s",
    "Geotropism (rotated 360° about the axis)", "1.4 %", "≤ 2 %",
    "Check source CK-551 (Cs-137) on contact", "38.5 µSv/h, reference for field checks", "Recorded",
    "Beta window and case", "Intact, no damage", "Visual",
  };
  static const char * const sig[] = {
    "Calibrated by", "T. Brandt, Calibration Technician",
    "Approved by", "Dr H. Visser, Laboratory Manager",
    NULL
  };

  doc_title (d, "Calibration Certificate", "Photon dose-rate meter — certificate EDC-2024-03117");
  doc_control_block (d, head);
  doc_heading (d, "Reference radiation and traceability");
  doc_control_block (d, ref);
  doc_heading (d, "Results");
  doc_para (d, "The instrument was exposed at the centre of the beam with the reference point of the chamber on the beam axis. Each reading is the mean of five readings after the display had settled. Deviation = (reading − reference) / reference. The gain was adjusted (potentiometer R14) after the as-found measurements.");
  doc_table (d, res_w, 8, res, G_N_ELEMENTS (res), 1, "DejaVu Sans 8.5");
  doc_heading (d, "Additional checks");
  doc_table (d, chk_w, 3, checks, G_N_ELEMENTS (checks), 1, FONT_TABLE);
  doc_heading (d, "Statement of conformity");
  doc_box (d, "<b>PASS.</b> As found and as left, all readings were within ±10 % of the reference values, meeting the calibration requirements of ANSI N323AB-2013 and of the customer's procedure RSP-014. The statement of conformity does not take the measurement uncertainty into account. Energy response was not tested: the manufacturer states ±15 % from 60 keV to 1.25 MeV relative to Cs-137.");
  doc_para (d, "Next calibration due: <b>12 March 2025</b>. The calibration label on the instrument shows certificate number and due date.");
  doc_signatures (d, sig);
}

static void
write_cal_gm (Doc *d)
{
  static const char * const head[] = {
    "Certificate No.", "EDC-2024-03241",
    "Customer", "Northfield Research Reactor, Radiation Protection Group",
    "Instrument", "Meridian CM-2 ratemeter with PB-15 GM pancake probe",
    "Serial Nos.", "Ratemeter CM2-20931, probe PB15-7714 (customer asset GM-02), cable 1.2 m",
    "Probe", "Halogen-quenched GM, mica window 1.7 mg/cm², 15.5 cm² active area",
    "Date of calibration", "2024-04-09",
    "Calibration due", "<b>2025-04-09</b>",
    "Procedure", "EDC-WI-12 Calibration of surface contamination monitors (ISO 7503-1, ISO 8769), issue 6",
    NULL
  };
  static const double hv_w[] = { 0.25, 0.25, 0.25, 0.25 };
  static const char * const hv[] = {
    "High voltage (V)", "Count rate (cpm)", "High voltage (V)", "Count rate (cpm)",
    "800", "0", "925", "5,180",
    "850", "4,120", "950", "5,230",
    "875", "5,030", "1,000", "5,410",
    "900 (set)", "5,110", "Plateau slope", "3.1 % per 100 V",
  };
  static const double lin_w[] = { 0.25, 0.25, 0.25, 0.25 };
  static const char * const lin[] = {
    "Pulser input (cpm)", "Reading (cpm)", "Deviation", "Tolerance",
    "400", "410", "+2.5 %", "±10 %",
    "4,000", "3,900", "−2.5 %", "±10 %",
    "40,000", "41,200", "+3.0 %", "±10 %",
    "400,000", "386,000", "−3.5 %", "±10 %",
  };
  static const double eff_w[] = { 0.12, 0.10, 0.13, 0.14, 0.12, 0.12, 0.12, 0.15 };
  static const char * const eff[] = {
    "Nuclide", "E<sub>max</sub> (keV)", "Source s/n", "Surface emission rate (s⁻¹, 100 cm²)", "Net count rate (cpm)", "Instrument efficiency ε<sub>i</sub> (2π)", "Total efficiency ε<sub>4π</sub>", "dpm/100 cm² per net cpm",
    "C-14", "156", "ISO-C14-118", "2,600", "2,540", "10.5 %", "2.6 %", "248",
    "Tc-99", "294", "ISO-TC99-041", "2,180", "5,400", "26.6 %", "6.7 %", "96",
    "Cs-137", "514", "ISO-CS137-207", "2,400", "9,900", "44.4 %", "22.2 %", "29",
    "Cl-36", "709", "ISO-CL36-022", "1,950", "8,700", "48.0 %", "24.0 %", "27",
    "Sr-90/Y-90", "2,280", "ISO-SR90-330", "3,100", "15,300", "53.1 %", "26.5 %", "24",
    "Am-241 (α)", "5,486", "ISO-AM241-090", "1,500", "4,600", "33.0 %", "8.2 %", "79",
  };
  static const char * const sig[] = {
    "Calibrated by", "R. Osei, Calibration Technician",
    "Approved by", "Dr H. Visser, Laboratory Manager",
    NULL
  };

  doc_title (d, "Calibration Certificate", "Surface contamination monitor — certificate EDC-2024-03241");
  doc_control_block (d, head);
  doc_heading (d, "1.  Detector voltage plateau");
  doc_para (d, "Measured with a Cs-137 point source at a fixed geometry. The operating voltage was left at 900 V (measured 902 V).");
  doc_table (d, hv_w, 4, hv, G_N_ELEMENTS (hv), 1, FONT_TABLE);
  doc_heading (d, "2.  Ratemeter linearity");
  doc_para (d, "Electronic pulser, negative pulses of 50 mV, 5 µs. Dead-time correction is applied by the ratemeter (dead time 60 µs).");
  doc_table (d, lin_w, 4, lin, G_N_ELEMENTS (lin), 1, FONT_TABLE);
  doc_heading (d, "3.  Efficiency per nuclide");
  doc_para (d, "Wide-area reference sources (ISO 8769 class 2, 10 cm × 10 cm), probe centred at 3 mm from the source face. ε<sub>i</sub> = net count rate / (surface emission rate × 15.5/100). ε<sub>4π</sub> = ε<sub>i</sub> × ε<sub>s</sub> with source efficiency ε<sub>s</sub> = 0.25 for E<sub>max</sub> below 400 keV and for alpha emitters, and 0.5 above 400 keV (ISO 7503-1). Reference source certificates: NPSL/SR/2022/114 to /119. Uncertainty of ε<sub>i</sub>: 7 % (k = 2).");
  doc_table (d, eff_w, 8, eff, G_N_ELEMENTS (eff), 1, "DejaVu Sans 8.5");
  doc_heading (d, "4.  Other checks");
  doc_para (d, "Background in the laboratory: 46 cpm (ambient 0.11 µSv/h). Alarm set point 1,050 cpm: alarm sounded at 1,040–1,060 cpm, pass. Check source CK-552 (Cs-137) on contact: 2,350 cpm, reference for the daily source check (±20 %). Window intact; light leak test pass; cable and connector pass.");
  doc_heading (d, "Statement of conformity");
  doc_box (d, "<b>PASS.</b> Plateau slope below 5 % per 100 V, ratemeter linearity within ±10 % on all decades, efficiencies determined for six nuclides. To convert a net count rate to total surface activity, multiply by the factor in the last column of the table (dpm/100 cm² per cpm); divide by 6,000 for Bq/cm².");
  doc_signatures (d, sig);
}

static void
write_incident (Doc *d)
{
  static const char * const head[] = {
    "Report No.", "IR-2024-007",
    "Event date and time", "17 April 2024, 14:20",
    "Location", "Building B, Room B-114 (Radiochemistry Laboratory), fume hood FH-2 and floor in front of it",
    "Nuclide and activity", "Na-24 (half-life 15.0 h), about 52 MBq in 2 mL of 0.1 M HCl; about 8 MBq spilled",
    "Persons involved", "S. Nakamura (Research Associate); J. Ramirez and P. Kowalski (RP technicians) for the response",
    "Reported by", "S. Nakamura, 14:21, by telephone to the RP office",
    "Investigated by", "M. Lindqvist, Health Physicist",
    "Classification", "Internal event, INES level 0 (below scale). No regulatory notification required (RPP-001 Table 12).",
    "Status", "Investigation complete; corrective actions CA-1 and CA-5 open",
    NULL
  };
  static const double tl_w[] = { 0.17, 0.83 };
  static const char * const tl[] = {
    "Time", "Event",
    "13:55", "Irradiated NaCl target capsule received from the reactor pool (2 h in irradiation position RS-3). Dose rate at 30 cm from the transport pig: 85 µSv/h.",
    "14:10", "Capsule opened in hot cell HC-1; the target dissolved in 2 mL of 0.1 M HCl; the vial placed in a lead pig.",
    "14:18", "Pig carried to fume hood FH-2 in B-114 for dilution.",
    "14:20", "While being lifted out of the pig with tongs, the vial slipped, struck the sash rail and cracked. Part of the solution ran onto the rail and dripped onto the floor.",
    "14:21", "The worker warned others in the room, covered the spill with absorbent pads, removed the outer gloves and left the area over the step-off pad. RP office informed.",
    "14:24", "RP technician J. Ramirez arrived; area posted \"Contamination Area — Keep Out\"; access controlled.",
    "14:30", "Personnel survey: inner gloves 1,800 cpm above background (PB-15 probe), removed. Hands, face, coat and shoes less than 50 cpm above background.",
    "14:45", "Dose rates: floor spot 310 µSv/h on contact, 22 µSv/h at 30 cm; sash rail 95 µSv/h on contact.",
    "15:10", "Decontamination of the floor started (absorbent, then decontamination solution); waste bagged, tag W-24-118.",
    "16:40", "Wipes of the floor: 3 of 12 above 1,000 dpm/100 cm². Spot covered with plastic and 2 mm lead sheet and left to decay overnight.",
    "18 Apr 08:15", "Re-survey: floor spot 18 µSv/h on contact; after a second cleaning all wipes below 1,000 dpm/100 cm².",
    "20 Apr 09:00", "Final survey below all action levels of RSP-014; area released by the RP Supervisor.",
  };
  static const double dose_w[] = { 0.55, 0.45 };
  static const char * const dose[] = {
    "Quantity", "Value",
    "Effective dose, worker (electronic dosimeter ED-03, session)", "14 µSv",
    "Inner glove contamination, net count rate", "1,800 cpm over about 4 cm²",
    "Estimated activity on the inner glove (ε<sub>4π</sub> = 0.25)", "≈ 120 Bq (30 Bq/cm²)",
    "Skin dose-rate coefficient, Na-24, 70 µm depth", "1.5 µSv/h per Bq/cm²",
    "Exposure time before glove removal", "10 min",
    "Skin dose estimate (no credit for the glove)", "<b>≈ 8 µSv</b> (limit 500 mSv)",
    "Intake: nasal swabs; whole-body count 17:30", "&lt; 5 Bq; no Na-24 detected (MDA 150 Bq)",
    "Committed effective dose", "&lt; 1 µSv",
    "Collective dose of the response (3 persons)", "41 person-µSv",
  };
  static const double ca_w[] = { 0.08, 0.47, 0.17, 0.13, 0.15 };
  static const char * const ca[] = {
    "No.", "Action", "Owner", "Due", "Status",
    "CA-1", "Revise work instruction RCL-05 to require an absorbent-lined spill tray and rubber-tipped tongs for all transfers of liquids above 10 MBq.", "RP Supervisor", "2024-05-31", "Open",
    "CA-2", "Buy three additional stainless-steel spill trays for the B-114 fume hoods.", "Laboratory Manager", "2024-05-15", "Closed 2024-05-08",
    "CA-3", "Replace the failed lamp in FH-2; add hood lighting to the monthly laboratory inspection checklist.", "Facilities", "2024-04-30", "Closed 2024-04-24",
    "CA-4", "Brief all radiochemistry staff on this event and its lessons.", "RSO", "2024-05-15", "Closed 2024-05-10",
    "CA-5", "Add the transfer step to the pre-job briefing form RSP-011-F2.", "Health Physicist", "2024-06-30", "Open",
  };
  static const char * const causes[] = {
    "Direct cause", "The vial slipped from smooth-jawed tongs; its crimp cap was wet from the dissolution step.",
    "Contributing", "No spill tray in FH-2 (the tray was in use in another hood). One of the two hood lamps had failed. The worker felt time pressure because of the short half-life.",
    "Root cause", "Work instruction RCL-05 did not require a spill tray or rubber-tipped tongs for liquid transfers, and the pre-job briefing did not cover the transfer from the pig.",
    NULL
  };
  static const char * const sig[] = {
    "Investigator", "M. Lindqvist, Health Physicist",
    "RP Supervisor", "J. Ramirez",
    "Radiation Safety Officer", "Dr A. Okafor",
    NULL
  };

  doc_title (d, "Incident Report IR-2024-007", "Spill of Na-24 solution with contamination of gloves and laboratory floor, Room B-114");
  doc_control_block (d, head);

  doc_heading (d, "1.  SUMMARY");
  doc_para (d, "During the transfer of a freshly dissolved Na-24 target in fume hood FH-2, a glass vial slipped from the tongs and cracked. About 8 MBq of solution spilled onto the hood sash rail and the floor. The worker's inner gloves were contaminated; skin, clothing and other persons were not. The spill was contained within Room B-114 and decontaminated within three days, helped by the 15-hour half-life. The highest individual dose was 14 µSv effective and about 8 µSv to the skin of the hand. There was no intake.");

  doc_heading (d, "2.  DESCRIPTION OF THE EVENT");
  doc_para (d, "The target, 50 mg of NaCl in a quartz capsule, had been irradiated for two hours for a tracer study. After dissolution in hot cell HC-1 the solution was transferred to a 5 mL crimp-cap vial, which was placed in a 25 mm lead pig and carried to FH-2. When the worker lifted the vial out with 20 cm tongs, the wet cap slid between the smooth jaws. The vial fell onto the stainless-steel sash rail, cracked near the base and lost about 0.3 mL before the worker set it upright in the pig.");
  doc_para (d, "The worker followed the spill response in RSP-019 correctly: stop, warn, cover, leave by the step-off pad and call Radiation Protection. The response team arrived within three minutes.");

  doc_heading (d, "3.  TIMELINE");
  doc_table (d, tl_w, 2, tl, G_N_ELEMENTS (tl), 1, FONT_TABLE);

  doc_heading (d, "4.  DOSE ASSESSMENT");
  doc_para (d, "Doses were assessed from electronic dosimeter readings, contamination survey results and bioassay. The skin dose estimate is conservative: it assumes the activity on the inner glove was in contact with the skin for the whole time and gives no credit for the glove.");
  doc_table (d, dose_w, 2, dose, G_N_ELEMENTS (dose), 1, FONT_TABLE);

  doc_heading (d, "5.  ROOT CAUSE ANALYSIS");
  doc_control_block (d, causes);
  doc_para (d, "The analysis used the barrier method of procedure QA-03. The barriers that worked were the fume hood (air flow 0.5 m/s at the face, measured after the event), the step-off pad and the worker's double gloves.");

  doc_heading (d, "6.  CORRECTIVE ACTIONS");
  doc_table (d, ca_w, 5, ca, G_N_ELEMENTS (ca), 1, FONT_TABLE);

  doc_heading (d, "7.  LESSONS LEARNED");
  doc_para (d, "Short half-lives create time pressure: plan the transfer before the target leaves the reactor, and stage the spill tray and tools in the hood in advance. Double gloves turned a skin contamination into a glove contamination.");

  doc_signatures (d, sig);
}

static void
write_alara (Doc *d)
{
  static const char * const memo[] = {
    "To", "Reactor Safety Committee",
    "From", "Dr A. Okafor, Radiation Safety Officer",
    "Copy", "Director of Reactor Operations; RP Supervisor; Laboratory Manager",
    "Date", "26 February 2024",
    "Subject", "<b>Annual ALARA Review — Calendar Year 2023</b>",
    "Reference", "RPP-001 Section 4.6; ALARA goals memo RSO-2023-02",
    NULL
  };
  static const double grp_w[] = { 0.29, 0.14, 0.15, 0.13, 0.14, 0.15 };
  static const char * const grp[] = {
    "Work group", "Workers monitored", "Collective dose 2023 (person-mSv)", "2022 (person-mSv)", "Goal 2023 (person-mSv)", "Highest individual (mSv)",
    "Reactor operations", "14", "15.2", "18.7", "17.0", "3.1",
    "Maintenance", "9", "9.8", "11.4", "11.0", "2.4",
    "Radiochemistry and isotope production", "11", "7.9", "8.6", "8.0", "1.7",
    "Radiation protection", "6", "3.6", "3.9", "3.5", "1.2",
    "Experimenters (beam ports)", "22", "1.8", "1.9", "2.0", "0.4",
    "Visitors and students", "146", "0.3", "0.4", "0.5", "0.02",
    "<b>Total</b>", "<b>208</b>", "<b>38.6</b>", "<b>44.9</b>", "<b>42.0</b>", "<b>3.1</b>",
  };
  static const double dist_w[] = { 0.5, 0.25, 0.25 };
  static const char * const dist[] = {
    "Annual effective dose", "Individuals 2023", "Individuals 2022",
    "Not measurable (&lt; 0.1 mSv)", "171", "165",
    "0.1 to 0.5 mSv", "19", "21",
    "0.5 to 1.0 mSv", "9", "10",
    "1.0 to 2.0 mSv", "6", "7",
    "2.0 to 5.0 mSv", "3", "4",
    "Above 5.0 mSv", "0", "0",
    "<b>Total</b>", "<b>208</b>", "<b>207</b>",
  };
  static const double job_w[] = { 0.36, 0.14, 0.12, 0.38 };
  static const char * const jobs[] = {
    "Job", "Estimate (person-mSv)", "Actual (person-mSv)", "Comment",
    "Primary pump PP-2 seal replacement (May)", "8.0", "6.9", "Lead blankets (5 cm) on the suction line; mock-up training beforehand.",
    "Beam port BP-3 shutter repair (August)", "2.5", "3.4", "Above estimate: unexpected Co-60 activation of the shutter guide (CR-2023-041).",
    "Purification system resin change (October)", "3.0", "2.2", "New remote handling tool used for the first time.",
    "Annual Source Vault inventory (December)", "0.4", "0.3", "—",
  };
  static const char * const goals[] = {
    "1.", "Collective dose goal for 2024: <b>36 person-mSv</b>, with group goals in Attachment A (not reproduced).",
    "2.", "Install a remote camera on the pool deck so that routine visual checks of the core need no one at the pool edge (estimated saving 2 person-mSv per year).",
    "3.", "Replace the two oldest ion chamber survey meters (1998) and standardise on the RO-7.",
    "4.", "Use electronic dosimeters with telemetry for all jobs estimated above 2 person-mSv.",
    "5.", "Survey shutter guides of all beam ports for activation before the next maintenance campaign.",
    NULL
  };
  static const char * const sig[] = {
    "Radiation Safety Officer", "Dr A. Okafor",
    NULL
  };

  doc_title (d, "MEMORANDUM", NULL);
  doc_control_block (d, memo);

  doc_heading (d, "1.  Summary");
  doc_para (d, "The collective effective dose for 2023 was <b>38.6 person-mSv</b>, 8 % below the goal of 42 person-mSv and 14 % below 2022 (44.9 person-mSv). The highest individual effective dose was 3.1 mSv (a reactor operator, mostly from the PP-2 pump seal replacement), 16 % of the annual limit of 20 mSv. Two ALARA Level I investigations (1.25 mSv in a quarter) were made, both in the second quarter for the pump work; there were no Level II investigations (3.75 mSv in a quarter). No dose limit was exceeded.");

  doc_heading (d, "2.  Collective dose by work group");
  doc_table (d, grp_w, 6, grp, G_N_ELEMENTS (grp), 1, FONT_TABLE);

  doc_heading (d, "3.  Distribution of individual doses");
  doc_table (d, dist_w, 3, dist, G_N_ELEMENTS (dist), 1, FONT_TABLE);

  doc_heading (d, "4.  Extremity doses and contamination events");
  doc_para (d, "The highest extremity dose was 38 mSv (ring dosimeter, radiochemist producing Na-24 and K-42 tracers), 7.6 % of the 500 mSv limit. There were 7 personnel contamination events (9 in 2022), all with skin doses below 1 mSv, and 23 area contamination results above the RSP-014 action levels (31 in 2022). No intakes above the bioassay investigation levels occurred.");

  doc_heading (d, "5.  Major jobs");
  doc_table (d, job_w, 4, jobs, G_N_ELEMENTS (jobs), 1, FONT_TABLE);

  doc_heading (d, "6.  Effluents and public dose");
  doc_para (d, "Argon-41 released through the stack: 1.9 TBq, 11 % of the authorised annual limit. The calculated dose to the most exposed member of the public was 4.2 µSv, against the dose constraint of 100 µSv. Liquid releases were below the detection limits of the monthly tank analyses.");

  doc_heading (d, "7.  Goals and actions for 2024");
  doc_items (d, goals, 0);

  doc_heading (d, "8.  Conclusion");
  doc_para (d, "The ALARA program was effective in 2023. The downward trend in collective dose continued for the third year, mainly through job planning for the large maintenance tasks. The BP-3 shutter repair shows that activation surveys must precede work on beam-port components. I ask the Committee to endorse the 2024 goals above.");
  doc_signatures (d, sig);
}

typedef struct
{
  const char *nuclide;
  const char *form;
  double      kbq_lo;
  double      kbq_hi;
  gboolean    alpha;
  double      mda;
} SourceKind;

static void
write_source_inventory (Doc *d)
{
  static const SourceKind kinds[] = {
    { "Cs-137", "Check source, disc 25 mm", 3.0, 370, FALSE, 1.1 },
    { "Co-60", "Check source, disc 25 mm", 30, 370, FALSE, 1.2 },
    { "Sr-90", "Beta source, disc 25 mm", 3700, 37000, FALSE, 0.08 },
    { "Am-241", "Alpha plate source, 50 mm", 370, 3700, TRUE, 0.04 },
    { "Ba-133", "Calibration source, rod", 37, 370, FALSE, 0.7 },
    { "Na-22", "Calibration source, disc", 37, 370, FALSE, 0.9 },
    { "Ni-63", "ECD foil, GC detector", 370000, 555000, FALSE, 0.17 },
    { "Cs-137", "Calibration source, capsule X.3", 37000, 370000, FALSE, 1.1 },
  };
  static const char * const locs[] = {
    "Source Vault, safe S-1", "Source Vault, safe S-2", "Counting Room C-103", "B-114 Radiochemistry",
    "B-112 Instrument Lab", "Reactor Hall, RP station", "Hot Cell Gallery", "B-116 GC Laboratory",
  };
  static const double inv_w[] = { 0.09, 0.08, 0.14, 0.19, 0.14, 0.115, 0.075, 0.06, 0.11 };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) r = g_rand_new_with_seed (DEMO_SEED + 22);
  static const char * const head[] = {
    "ID", "Nuclide", "Activity (ref. date)", "Description", "Location", "Test date", "Wipe (Bq)", "MDA (Bq)", "Result",
  };
  static const char * const big[][9] = {
    { "SS-0001", "Cs-137", "370 GBq (2010-04-01)", "Irradiator source, s/n CS-8841", "Irradiator room R-02", "2024-02-12", "&lt; 1.1", "1.1", "Pass (port wipe)" },
    { "SS-0002", "Am-Be", "185 GBq Am-241 (2001-11-20)", "Neutron source, s/n AB-0375", "Source Vault, pit P-1", "2024-02-12", "&lt; 0.04", "0.04", "Pass (holder wipe)" },
    { "SS-0003", "Pu-239", "3.7 kBq (1995-07-01)", "Alpha plate, s/n PU-2210", "Source Vault, safe S-1", "—", "—", "—", "Exempt (≤ 0.37 MBq α)" },
    { "SS-0004", "H-3", "3.7 GBq (2015-01-01)", "Tritium foil (gas chromatograph)", "B-116 GC Laboratory", "—", "—", "—", "Exempt (H-3 only)" },
  };
  int failed_row;

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    g_ptr_array_add (cells, g_strdup (head[i]));
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    for (int j = 0; j < 9; j++)
      g_ptr_array_add (cells, g_strdup (big[i][j]));

  failed_row = 23;
  for (int i = 0; i < 44; i++)
    {
      const SourceKind *k = &kinds[g_rand_int_range (r, 0, G_N_ELEMENTS (kinds))];
      double kbq = exp (g_rand_double_range (r, log (k->kbq_lo), log (k->kbq_hi)));
      int year = g_rand_int_range (r, 2004, 2024);
      gboolean exempt = k->alpha ? kbq <= 370 : kbq <= 3700;
      char activity[48], test[16], wipe[16], mda[16];
      int serial_a, serial_b, serial_n;
      const char *result;

      if (kbq >= 1e6)
        g_snprintf (activity, sizeof activity, "%.1f GBq (%d-%02d-01)", kbq / 1e6, year, g_rand_int_range (r, 1, 13));
      else if (kbq >= 1e3)
        g_snprintf (activity, sizeof activity, "%.1f MBq (%d-%02d-01)", kbq / 1e3, year, g_rand_int_range (r, 1, 13));
      else
        g_snprintf (activity, sizeof activity, "%.0f kBq (%d-%02d-01)", kbq, year, g_rand_int_range (r, 1, 13));

      if (exempt)
        {
          g_strlcpy (test, "—", sizeof test);
          g_strlcpy (wipe, "—", sizeof wipe);
          g_strlcpy (mda, "—", sizeof mda);
          result = k->alpha ? "Exempt (≤ 0.37 MBq α)" : "Exempt (≤ 3.7 MBq)";
        }
      else
        {
          double w = g_rand_double_range (r, 0, k->mda * 2.5);
          int month = g_rand_int_range (r, 1, 7);
          int mday = g_rand_int_range (r, 1, 29);

          g_snprintf (test, sizeof test, "2024-%02d-%02d", month, mday);
          g_snprintf (mda, sizeof mda, "%.2g", k->mda);
          if (i == failed_row)
            {
              g_strlcpy (wipe, "212", sizeof wipe);
              result = "<b>FAIL — withdrawn, CR-2024-019</b>";
            }
          else if (w < k->mda)
            {
              g_snprintf (wipe, sizeof wipe, "&lt; %.2g", k->mda);
              result = "Pass";
            }
          else
            {
              g_snprintf (wipe, sizeof wipe, "%.2g", w);
              result = "Pass";
            }
        }

      g_ptr_array_add (cells, g_strdup_printf ("SS-%04d", 101 + i * 3 + g_rand_int_range (r, 0, 3)));
      g_ptr_array_add (cells, g_strdup (k->nuclide));
      g_ptr_array_add (cells, g_strdup (activity));
      serial_a = 'A' + g_rand_int_range (r, 0, 26);
      serial_b = 'A' + g_rand_int_range (r, 0, 26);
      serial_n = g_rand_int_range (r, 100, 9999);
      g_ptr_array_add (cells, g_strdup_printf ("%s, s/n %c%c-%04d", k->form, serial_a, serial_b, serial_n));
      g_ptr_array_add (cells, g_strdup (locs[g_rand_int_range (r, 0, G_N_ELEMENTS (locs))]));
      g_ptr_array_add (cells, g_strdup (test));
      g_ptr_array_add (cells, g_strdup (wipe));
      g_ptr_array_add (cells, g_strdup (mda));
      g_ptr_array_add (cells, g_strdup (result));
    }

  doc_title (d, "Sealed Source Inventory and Leak Test Record", "First half of 2024 — form RSP-022-F1");
  doc_para (d, "Sources held under the NRR licence on 30 June 2024, with the leak tests made between 1 January and 30 June 2024 under RSP-022. Wipe results are removable activity in Bq; the acceptance limit is 185 Bq. Activities are nominal values at the reference date.");
  doc_table (d, inv_w, 9, (const char * const *) cells->pdata, (int) cells->len, 1, "DejaVu Sans 7.5");
  doc_box (d, "<b>Failed test.</b> One source exceeded the acceptance limit of 185 Bq. It was withdrawn from use, double-bagged and placed in safe S-2, and the locations where it had been used were surveyed without finding contamination. The regulator was notified within 5 days (Condition Report CR-2024-019).");
  {
    static const char * const sig[] = {
      "Tests performed by", "P. Kowalski, RP Technician",
      "Reviewed by", "J. Ramirez, RP Supervisor",
      NULL
    };
    doc_signatures (d, sig);
  }
}

static const DocInfo documents[] = {
  { "documents/rsp-014-contamination-surveys.pdf", "RSP-014", "3", "Contamination Surveys with Portable Instruments",
    "procedure", "Effective 2024-02-01", ORG_NRR, FOOT_PROC, write_rsp014 },
  { "documents/rsp-022-leak-testing-sealed-sources.pdf", "RSP-022", "2", "Leak Testing of Sealed Radioactive Sources",
    "procedure", "Effective 2023-09-15", ORG_NRR, FOOT_PROC, write_rsp022 },
  { "documents/cal-cert-EDC-2024-03117-ion-chamber.pdf", "EDC-2024-03117", NULL, "Calibration Certificate — Meridian RO-7 ion chamber, s/n RO7-10482",
    "calibration_certificate", "Issued 2024-03-14", ORG_CAL, FOOT_CAL, write_cal_ion_chamber },
  { "documents/cal-cert-EDC-2024-03241-gm-monitor.pdf", "EDC-2024-03241", NULL, "Calibration Certificate — Meridian CM-2 / PB-15, s/n CM2-20931",
    "calibration_certificate", "Issued 2024-04-11", ORG_CAL, FOOT_CAL, write_cal_gm },
  { "documents/ir-2024-007-na24-spill-b114.pdf", "IR-2024-007", "1", "Incident Report — Na-24 spill, Room B-114",
    "incident_report", "Issued 2024-05-03", ORG_NRR, "Internal report. Distribution: Reactor Safety Committee, RP Group, Radiochemistry.", write_incident },
  { "documents/alara-review-2023.pdf", "RSO-2024-04", NULL, "Annual ALARA Review — Calendar Year 2023",
    "memo", "Dated 2024-02-26", ORG_NRR, "Internal memorandum. Personal dose data are summarised; individual records are held by the RP Group.", write_alara },
  { "documents/sealed-source-inventory-2024-h1.pdf", "RSP-022-F1", "2", "Sealed Source Inventory and Leak Test Record — 2024 H1",
    "record", "Period 2024-01-01 to 2024-06-30", ORG_NRR, "Record retained for 3 years under RSP-022 Section 9.", write_source_inventory },
};

static cairo_status_t
discard_write (void                *closure G_GNUC_UNUSED,
               const unsigned char *data G_GNUC_UNUSED,
               unsigned int         length G_GNUC_UNUSED)
{
  return CAIRO_STATUS_SUCCESS;
}

static int
render_document_pass (const DocInfo *info,
                      const char    *path,
                      int            total)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *ctx;
  cairo_font_options_t *fo;
  Doc d;
  int pages;
  g_autofree char *title = g_strdup_printf ("%s %s", info->number, info->title);

  if (path != NULL)
    surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  else
    surface = cairo_pdf_surface_create_for_stream (discard_write, NULL, PAGE_W, PAGE_H);

  /* Fixed dates keep the files reproducible. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, "Northfield Research Reactor (fictitious demo data)");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "dbw-demo-gen");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, "2024-06-30T12:00:00Z");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, "2024-06-30T12:00:00Z");

  cr = cairo_create (surface);
  ctx = pango_cairo_create_context (cr);
  fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (ctx, fo);
  cairo_font_options_destroy (fo);
  pango_context_set_round_glyph_positions (ctx, FALSE);
  /* PDF user units are points: sizes in points, not at 96 dpi. */
  pango_cairo_context_set_resolution (ctx, 72);

  memset (&d, 0, sizeof d);
  d.cr = cr;
  d.layout = pango_layout_new (ctx);
  d.info = info;
  d.total = total;
  doc_page_begin (&d);
  info->write (&d);
  cairo_show_page (cr);
  pages = d.page;

  g_object_unref (d.layout);
  g_object_unref (ctx);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    pages = -1;
  cairo_surface_destroy (surface);

  return pages;
}

/* Two passes: the first counts the pages for "Page N of M". */
static int
render_document (const DocInfo  *info,
                 const char     *out_dir,
                 GError        **error)
{
  g_autofree char *path = g_build_filename (out_dir, info->file, NULL);
  int total = render_document_pass (info, NULL, 0);
  int pages = total > 0 ? render_document_pass (info, path, total) : -1;

  if (pages <= 0 || pages != total)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s", path);
      return -1;
    }

  return pages;
}

/* Instrument readings */

typedef enum
{
  MEASURE_AMBIENT,
  MEASURE_SURFACE,
  MEASURE_WIPE,
  MEASURE_NEUTRON,
  MEASURE_PERSONAL,
} Measure;

typedef struct
{
  const char *id;
  const char *type;
  const char *serial;
  const char *cal_due;
  const char *in_service;   /* first day of use */
  const char *retired;      /* last day of use, or NULL */
} Instrument;

static const Instrument instruments[] = {
  { "IC-01",  "ion chamber",          "RO7-10482", "2025-03-12", "2024-01-01", NULL },
  { "IC-02",  "ion chamber",          "RO7-09911", "2024-05-20", "2024-01-01", "2024-05-24" },
  { "IC-03",  "ion chamber",          "RO7-11230", "2025-05-14", "2024-05-21", NULL },
  { "GM-01",  "GM pancake probe",     "PB15-7702", "2024-11-30", "2024-01-01", NULL },
  { "GM-02",  "GM pancake probe",     "PB15-7714", "2025-04-09", "2024-01-01", NULL },
  { "GM-03",  "GM pancake probe",     "PB15-8120", "2024-09-15", "2024-01-01", NULL },
  { "NAI-01", "NaI scintillator",     "NS2-3307",  "2024-10-01", "2024-01-01", NULL },
  { "NAI-02", "NaI scintillator",     "NS2-3342",  "2025-01-22", "2024-01-01", NULL },
  { "NRM-01", "neutron rem meter",    "NR5-0451",  "2024-08-31", "2024-01-01", NULL },
  { "ED-01",  "electronic dosimeter", "EPD-60213", "2024-12-31", "2024-01-01", NULL },
  { "ED-02",  "electronic dosimeter", "EPD-60219", "2024-12-31", "2024-01-01", NULL },
  { "ED-03",  "electronic dosimeter", "EPD-60227", "2024-12-31", "2024-01-01", NULL },
};

typedef struct
{
  const char *name;
  double      bg_lo;        /* gamma background, µSv/h */
  double      bg_hi;
  double      hot;          /* median dose rate near sources, µSv/h; 0 if none */
  double      contamination;/* chance of a contaminated spot */
  gboolean    neutron;
} Location;

static const Location locations[] = {
  { "Reactor Building / Pool deck / North rail",          0.09, 0.20, 2.5,  0.03, FALSE },
  { "Reactor Building / Pool deck / Bridge",              0.10, 0.20, 6.0,  0.02, FALSE },
  { "Reactor Building / Beam port BP-3 / Shutter",        0.08, 0.18, 4.0,  0.04, TRUE },
  { "Reactor Building / Beam port BP-1 / Shield wall",    0.08, 0.16, 1.2,  0.01, TRUE },
  { "Reactor Building / Primary pump room",               0.10, 0.20, 3.5,  0.05, FALSE },
  { "Reactor Building / Control room",                    0.06, 0.12, 0,    0.0,  FALSE },
  { "Building B / Room B-114 / Fume hood FH-2",           0.07, 0.14, 1.5,  0.10, FALSE },
  { "Building B / Room B-114 / Floor",                    0.07, 0.14, 0,    0.06, FALSE },
  { "Building B / Room B-112 / Bench 3",                  0.06, 0.13, 0.4,  0.03, FALSE },
  { "Building B / Room B-116 / GC laboratory",            0.06, 0.12, 0,    0.02, FALSE },
  { "Building B / Corridor B-1",                          0.06, 0.12, 0,    0.01, FALSE },
  { "Hot Cell Gallery / HC-1 / Transfer drawer",          0.10, 0.20, 8.0,  0.08, FALSE },
  { "Hot Cell Gallery / HC-2 / Manipulator wall",         0.10, 0.20, 3.0,  0.04, FALSE },
  { "Waste Storage Bay / Drum row A",                     0.09, 0.20, 5.0,  0.03, FALSE },
  { "Source Vault / Safe S-1",                            0.08, 0.18, 12.0, 0.01, FALSE },
  { "Source Vault / Entrance",                            0.07, 0.15, 0.8,  0.0,  FALSE },
  { "Counting Room C-103",                                0.05, 0.09, 0,    0.0,  FALSE },
  { "Loading Dock / Shipping area",                       0.06, 0.13, 1.0,  0.01, FALSE },
  { "Administration / Office A-204",                      0.05, 0.10, 0,    0.0,  FALSE },
};

static const char * const operators[] = {
  "A. Okafor", "M. Lindqvist", "J. Ramirez", "S. Nakamura", "P. Kowalski", "L. Dubois", "R. Haddad", "K. O'Brien",
};

static const char * const measure_names[] = {
  "ambient dose rate",
  "surface contamination (direct)",
  "removable contamination (wipe)",
  "neutron dose rate",
  "personal dose equivalent Hp(10)",
};

static const char * const measure_units[] = {
  "µSv/h", "cpm", "Bq/cm²", "µSv/h", "µSv",
};

typedef struct
{
  GDateTime  *time;
  const Instrument *inst;
  const char *location;
  Measure     measure;
  char        value[24];
  char        background[24];
  const char *operator_name;
  const char *status;
  char       *notes;
} Reading;

static void
reading_clear (gpointer data)
{
  Reading *r = data;

  g_clear_pointer (&r->time, g_date_time_unref);
  g_clear_pointer (&r->notes, g_free);
}

/* Quotes a field when RFC 4180 requires it. */
static void
csv_field (GString    *out,
           const char *s,
           gboolean    last)
{
  if (strpbrk (s, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = s; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, s);

  g_string_append (out, last ? "\r\n" : ",");
}

static void
format_value (char    *buf,
              gsize    len,
              Measure  m,
              double   v)
{
  switch (m)
    {
    case MEASURE_AMBIENT:
    case MEASURE_NEUTRON:
      if (v < 10)
        g_snprintf (buf, len, "%.2f", v);
      else
        g_snprintf (buf, len, "%.1f", v);
      break;
    case MEASURE_SURFACE:
      g_snprintf (buf, len, "%.0f", v);
      break;
    case MEASURE_WIPE:
      g_snprintf (buf, len, "%.3f", v);
      break;
    case MEASURE_PERSONAL:
    default:
      g_snprintf (buf, len, "%.1f", v);
      break;
    }
}

static const Instrument *
pick_instrument (GRand      *r,
                 GDateTime  *t,
                 const char *prefix)
{
  g_autofree char *day = g_date_time_format (t, "%Y-%m-%d");
  const Instrument *found[8];
  int n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (instruments); i++)
    {
      const Instrument *in = &instruments[i];

      if (!g_str_has_prefix (in->id, prefix))
        continue;
      if (strcmp (day, in->in_service) < 0 || (in->retired != NULL && strcmp (day, in->retired) > 0))
        continue;
      found[n++] = in;
    }

  g_assert (n > 0);
  return found[g_rand_int_range (r, 0, n)];
}

static const char * const routine_notes[] = {
  "Routine survey",
  "Routine weekly survey, all points < MDC",
  "Job coverage: resin change on purification system",
  "Job coverage: sample transfer from pool",
  "Wipe counted on LB-2, 1 min",
  "Background taken in corridor, 5 m from area",
  "Door handle, light switch, telephone: all < MDC",
  "Reading near \"hot\" drain line, 30 cm from surface",
  "Source SS-0117 in use at bench, shielded by 5 cm lead",
  "Pump casing, contact reading; general area lower",
  "Drum W-24-031 and W-24-032 moved to row A, readings at 1 m",
  "Check source OK (2,310 cpm, ref. 2,350 cpm)",
  "Survey after shipment receipt, package intact, no contamination",
  "Beam shutter closed, reactor at 250 kW",
  "Beam shutter open, reactor at 1 MW; neutron + gamma",
  "Floor grid, 10 points, highest reported",
  "Hood sash at working height, airflow alarm OK",
};

static const char * const high_notes[] = {
  "Above action level: area posted, RP Supervisor notified",
  "Above action level; hot spot marked with tape, decon requested",
  "Above action level. Re-survey after decon: see next reading",
  "Elevated: source safe door open during inventory, readings at 30 cm",
  "Above action level, \"Contamination Area\" posted, Condition Report raised",
  "Decontaminated with detergent.\r\nRe-survey below action level; wipes bagged as waste W-24-090",
};

static const char * const fault_notes[] = {
  "Battery low warning; reading discarded",
  "Failed source check (reading 1,420 cpm, ref. 2,350 cpm); instrument tagged out",
  "Erratic reading, suspected cable fault; swapped probe",
  "Display frozen, restarted; reading not recorded",
  "Probe window punctured, replaced.\r\nSurvey repeated with GM-03",
};

static void
add_reading (GArray           *rows,
             GRand            *r,
             GDateTime        *t,
             const Instrument *inst,
             const Location   *loc,
             Measure           m,
             const char       *operator_name,
             double            bg_rate)
{
  Reading row;
  double value = 0, bg = 0;
  gboolean high = FALSE;
  gboolean fault = chance (r, 0.008);

  memset (&row, 0, sizeof row);
  row.time = g_date_time_ref (t);
  row.inst = inst;
  row.location = loc->name;
  row.measure = m;
  row.operator_name = operator_name;

  switch (m)
    {
    case MEASURE_AMBIENT:
      bg = bg_rate;
      value = bg * rnd (r, 0.9, 1.25);
      if (loc->hot > 0 && chance (r, 0.6))
        value = bg + loc->hot * exp (rnd_gauss (r) * 0.8);
      high = value > 25;
      break;
    case MEASURE_NEUTRON:
      bg = rnd (r, 0.01, 0.03);
      value = bg * rnd (r, 0.8, 1.4);
      if (loc->neutron && chance (r, 0.7))
        value = loc->hot * exp (rnd_gauss (r) * 0.6);
      high = value > 25;
      break;
    case MEASURE_SURFACE:
      bg = round (rnd (r, 36, 72));
      value = bg + fabs (rnd_gauss (r)) * 9;
      if (chance (r, loc->contamination))
        value = bg + 150 * exp (rnd_gauss (r) * 1.1);
      high = value - bg > 1000;
      break;
    case MEASURE_WIPE:
      bg = rnd (r, 0.005, 0.02);
      value = bg + rnd_gauss (r) * 0.01;
      value = MAX (value, 0);
      if (chance (r, loc->contamination))
        value = 0.08 * exp (rnd_gauss (r) * 1.2);
      high = value > 0.17;
      break;
    case MEASURE_PERSONAL:
    default:
      value = loc->hot > 0 ? loc->hot * rnd (r, 0.2, 2.0) : rnd (r, 0, 1.5);
      high = value > 100;
      break;
    }

  format_value (row.value, sizeof row.value, m, value);
  if (m != MEASURE_PERSONAL)
    format_value (row.background, sizeof row.background, m, bg);

  if (fault)
    {
      row.status = "instrument_fault";
      row.notes = g_strdup (fault_notes[g_rand_int_range (r, 0, G_N_ELEMENTS (fault_notes))]);
      if (chance (r, 0.6))
        row.value[0] = '\0';
    }
  else if (high)
    {
      row.status = "above_action_level";
      row.notes = g_strdup (high_notes[g_rand_int_range (r, 0, G_N_ELEMENTS (high_notes))]);
    }
  else
    {
      row.status = "normal";
      if (chance (r, 0.22))
        row.notes = g_strdup (routine_notes[g_rand_int_range (r, 0, G_N_ELEMENTS (routine_notes))]);
    }

  g_array_append_val (rows, row);
}

/* The readings taken during the response to incident IR-2024-007. */
static void
add_incident_readings (GArray *rows)
{
  static const struct {
    int         h, m;
    const char *inst;
    const char *loc;
    Measure     measure;
    const char *value;
    const char *bg;
    const char *op;
    const char *status;
    const char *notes;
  } ev[] = {
    { 14, 30, "GM-02", "Building B / Room B-114 / Step-off pad", MEASURE_SURFACE, "1848", "48", "J. Ramirez", "above_action_level", "IR-2024-007: worker's inner gloves, 1,800 cpm net; gloves removed and bagged" },
    { 14, 32, "GM-02", "Building B / Room B-114 / Step-off pad", MEASURE_SURFACE, "81", "48", "J. Ramirez", "normal", "IR-2024-007: worker's hands, face, coat and shoes, highest reading" },
    { 14, 45, "IC-01", "Building B / Room B-114 / Floor", MEASURE_AMBIENT, "310", "0.11", "J. Ramirez", "above_action_level", "IR-2024-007: floor spot, contact reading (Na-24)" },
    { 14, 46, "IC-01", "Building B / Room B-114 / Floor", MEASURE_AMBIENT, "22.0", "0.11", "J. Ramirez", "normal", "IR-2024-007: floor spot at 30 cm; area posted \"Contamination Area — Keep Out\"" },
    { 14, 48, "IC-01", "Building B / Room B-114 / Fume hood FH-2", MEASURE_AMBIENT, "95.0", "0.11", "J. Ramirez", "above_action_level", "IR-2024-007: sash rail, contact" },
    { 16, 40, "GM-03", "Building B / Room B-114 / Floor", MEASURE_WIPE, "0.410", "0.012", "P. Kowalski", "above_action_level", "IR-2024-007: wipe 4 of 12, after first decon" },
    { 16, 41, "GM-03", "Building B / Room B-114 / Floor", MEASURE_WIPE, "0.260", "0.012", "P. Kowalski", "above_action_level", "IR-2024-007: wipe 7 of 12" },
    { 16, 42, "GM-03", "Building B / Room B-114 / Floor", MEASURE_WIPE, "0.190", "0.012", "P. Kowalski", "above_action_level", "IR-2024-007: wipe 9 of 12; spot covered with plastic and 2 mm lead, left to decay" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ev); i++)
    {
      Reading row;

      memset (&row, 0, sizeof row);
      row.time = g_date_time_new_utc (2024, 4, 17, ev[i].h, ev[i].m, 10.0 + i * 7);
      for (guint k = 0; k < G_N_ELEMENTS (instruments); k++)
        if (strcmp (instruments[k].id, ev[i].inst) == 0)
          row.inst = &instruments[k];
      row.location = ev[i].loc;
      row.measure = ev[i].measure;
      g_strlcpy (row.value, ev[i].value, sizeof row.value);
      g_strlcpy (row.background, ev[i].bg, sizeof row.background);
      row.operator_name = ev[i].op;
      row.status = ev[i].status;
      row.notes = g_strdup (ev[i].notes);
      g_array_append_val (rows, row);
    }
}

static GArray *
make_readings (int n_rows)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (DEMO_SEED + 1500);
  g_autoptr(GDateTime) day = g_date_time_new_utc (2024, 1, 8, 0, 0, 0);
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Reading));

  g_array_set_clear_func (rows, reading_clear);

  while ((int) rows->len < n_rows)
    {
      int dow = g_date_time_get_day_of_week (day);
      gboolean incident_day = g_date_time_get_month (day) == 4 && g_date_time_get_day_of_month (day) == 17;
      double minute = rnd (r, 7 * 60 + 10, 8 * 60 + 30);
      int sessions = rndi (r, 1, 3);

      if (dow >= 6)
        {
          GDateTime *next = g_date_time_add_days (day, 1);

          g_date_time_unref (day);
          day = next;
          continue;
        }

      for (int s = 0; s < sessions && (int) rows->len < n_rows; s++)
        {
          const Location *loc = &locations[g_rand_int_range (r, 0, G_N_ELEMENTS (locations))];
          const char *op = operators[g_rand_int_range (r, 0, G_N_ELEMENTS (operators))];
          double kind = g_rand_double (r);
          int n = rndi (r, 3, 8);
          double bg = rnd (r, loc->bg_lo, loc->bg_hi);

          if (incident_day && minute > 13 * 60)
            break;

          for (int k = 0; k < n && (int) rows->len < n_rows; k++)
            {
              g_autoptr(GDateTime) t = g_date_time_add_seconds (day, minute * 60 + rnd (r, 0, 50));
              const Instrument *inst;
              Measure m;

              if (kind < 0.40)
                {
                  inst = pick_instrument (r, t, chance (r, 0.75) ? "IC-" : "NAI-");
                  m = MEASURE_AMBIENT;
                }
              else if (kind < 0.80)
                {
                  inst = pick_instrument (r, t, "GM-");
                  m = chance (r, 0.6) ? MEASURE_SURFACE : MEASURE_WIPE;
                }
              else if (kind < 0.90)
                {
                  if (loc->neutron || chance (r, 0.5))
                    {
                      inst = pick_instrument (r, t, "NRM-");
                      m = MEASURE_NEUTRON;
                    }
                  else
                    {
                      inst = pick_instrument (r, t, "NAI-");
                      m = MEASURE_AMBIENT;
                    }
                }
              else
                {
                  inst = pick_instrument (r, t, "ED-");
                  m = MEASURE_PERSONAL;
                }

              add_reading (rows, r, t, inst, loc, m, op, bg);
              minute += rnd (r, 0.8, 4.5);
            }
          minute += rnd (r, 25, 110);
        }

      if (incident_day && (int) rows->len + 8 <= n_rows)
        add_incident_readings (rows);

      {
        GDateTime *next = g_date_time_add_days (day, 1);

        g_date_time_unref (day);
        day = next;
      }
    }

  return rows;
}

static const char * const csv_columns[] = {
  "reading_id", "timestamp", "instrument_id", "instrument_type", "serial_number", "location",
  "measurement_type", "value", "unit", "background", "calibration_due", "operator", "status", "notes",
};

static gboolean
write_readings (const char  *path,
                int          n_rows,
                int         *rows_written,
                GError     **error)
{
  g_autoptr(GArray) rows = make_readings (n_rows);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    csv_field (out, csv_columns[i], i + 1 == G_N_ELEMENTS (csv_columns));

  for (guint i = 0; i < rows->len; i++)
    {
      const Reading *row = &g_array_index (rows, Reading, i);
      g_autofree char *id = g_strdup_printf ("RD-2024-%05u", i + 1);
      g_autofree char *ts = g_date_time_format (row->time, "%Y-%m-%dT%H:%M:%SZ");

      csv_field (out, id, FALSE);
      csv_field (out, ts, FALSE);
      csv_field (out, row->inst->id, FALSE);
      csv_field (out, row->inst->type, FALSE);
      csv_field (out, row->inst->serial, FALSE);
      csv_field (out, row->location, FALSE);
      csv_field (out, measure_names[row->measure], FALSE);
      csv_field (out, row->value, FALSE);
      csv_field (out, measure_units[row->measure], FALSE);
      csv_field (out, row->background, FALSE);
      csv_field (out, row->inst->cal_due, FALSE);
      csv_field (out, row->operator_name, FALSE);
      csv_field (out, row->status, FALSE);
      csv_field (out, row->notes != NULL ? row->notes : "", TRUE);
    }

  *rows_written = (int) rows->len;
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

/* Manifest and main */

static int
pt_compare (gconstpointer a,
            gconstpointer b)
{
  const Pt *p = a, *q = b;

  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  if (p->y != q->y)
    return p->y < q->y ? -1 : 1;
  return 0;
}

static double
cross (const Pt *o,
       const Pt *a,
       const Pt *b)
{
  return (a->x - o->x) * (b->y - o->y) - (a->y - o->y) * (b->x - o->x);
}

/* Convex hull (monotone chain), counter-clockwise in image coordinates. */
static int
convex_hull (const Pt *in,
             int       n,
             Pt       *out)
{
  g_autofree Pt *p = g_memdup2 (in, sizeof (Pt) * n);
  int k = 0;

  qsort (p, n, sizeof (Pt), pt_compare);
  for (int i = 0; i < n; i++)
    {
      while (k >= 2 && cross (&out[k - 2], &out[k - 1], &p[i]) <= 0)
        k--;
      out[k++] = p[i];
    }
  for (int i = n - 2, t = k + 1; i >= 0; i--)
    {
      while (k >= t && cross (&out[k - 2], &out[k - 1], &p[i]) <= 0)
        k--;
      out[k++] = p[i];
    }

  return MAX (k - 1, 1);
}

static void
add_image_json (JsonBuilder *b,
                Img         *img)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, img->file);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, IMAGE_WIDTH);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, IMAGE_HEIGHT);
  json_builder_set_member_name (b, "board");
  json_builder_add_string_value (b, img->spec->name);
  json_builder_set_member_name (b, "side");
  json_builder_add_string_value (b, img->bottom ? "bottom" : "top");
  json_builder_set_member_name (b, "camera");
  json_builder_add_string_value (b, img->camera);
  json_builder_set_member_name (b, "solder_mask");
  json_builder_add_string_value (b, img->mask->name);
  json_builder_set_member_name (b, "finish");
  json_builder_add_string_value (b, img->spec->enig ? "ENIG" : "HASL");
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, img->defects->len > 0 ? "fail" : "pass");
  json_builder_set_member_name (b, "defects");
  json_builder_begin_array (b);

  for (guint i = 0; i < img->defects->len; i++)
    {
      const Defect *d = &g_array_index (img->defects, Defect, i);
      Pt poly[G_N_ELEMENTS (d->pts) + 1];
      int n = d->n;
      double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
      int bx, by, bw, bh;

      if (d->hull)
        n = convex_hull (d->pts, d->n, poly);
      else
        memcpy (poly, d->pts, sizeof (Pt) * n);

      for (int k = 0; k < n; k++)
        {
          poly[k].x = CLAMP (poly[k].x, 0, IMAGE_WIDTH - 1);
          poly[k].y = CLAMP (poly[k].y, 0, IMAGE_HEIGHT - 1);
          x0 = MIN (x0, poly[k].x);
          y0 = MIN (y0, poly[k].y);
          x1 = MAX (x1, poly[k].x);
          y1 = MAX (y1, poly[k].y);
        }

      /* Two pixels of slack for the optical blur. */
      bx = MAX ((int) floor (x0) - 2, 0);
      by = MAX ((int) floor (y0) - 2, 0);
      bw = MIN ((int) ceil (x1) + 2, IMAGE_WIDTH) - bx;
      bh = MIN ((int) ceil (y1) + 2, IMAGE_HEIGHT) - by;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "class");
      json_builder_add_string_value (b, defect_names[d->cls]);
      json_builder_set_member_name (b, "component");
      if (d->ref[0] != '\0')
        json_builder_add_string_value (b, d->ref);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, d->desc);
      json_builder_set_member_name (b, "bbox");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, bx);
      json_builder_add_int_value (b, by);
      json_builder_add_int_value (b, bw);
      json_builder_add_int_value (b, bh);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "polygon");
      json_builder_begin_array (b);
      for (int k = 0; k < n; k++)
        {
          json_builder_begin_array (b);
          json_builder_add_int_value (b, lround (poly[k].x));
          json_builder_add_int_value (b, lround (poly[k].y));
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
image_worker (gpointer data,
              gpointer user_data)
{
  Img *img = data;
  const char *out_dir = user_data;

  img_setup (img, img->index);
  render_image (img, out_dir);

  /* Keep only what the manifest needs. */
  g_clear_pointer (&img->comps, g_array_unref);
  g_clear_pointer (&img->traces, g_array_unref);
  g_clear_pointer (&img->vias, g_array_unref);
  g_clear_pointer (&img->labels, g_array_unref);
  g_clear_pointer (&img->grid.cells, g_free);
  g_clear_object (&img->layout);
}

/* Removes what an earlier run left, so a smaller run leaves no strays. */
static gboolean
clear_dir (const char  *path,
           const char  *suffix,
           GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return TRUE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_str_has_suffix (name, suffix) && g_unlink (file) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "Could not remove %s: %s", file, g_strerror (saved));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean opt_minimal;

static const GOptionEntry entries[] = {
  { "minimal", 'm', 0, G_OPTION_ARG_NONE, &opt_minimal,
    "Write a minimal set: 1 image, 1 document, 20 readings", NULL },
  G_OPTION_ENTRY_NULL
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("OUTPUT_DIR [STAMP_FILE]");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *pcb_dir = NULL;
  g_autofree char *doc_dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *manifest_path = NULL;
  g_autofree Img *imgs = NULL;
  g_autofree int *pages = NULL;
  GThreadPool *pool;
  const char *out_dir;
  int n_images, n_docs, n_rows, rows_written = 0;
  gint64 start = g_get_monotonic_time ();

  g_option_context_set_summary (context,
                                "Generates the sources of the Databits Workbench demo project:\n"
                                "PCB inspection images, radiation-protection documents, instrument\n"
                                "readings and a manifest with their labels.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (argc < 2 || argc > 3)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 1;
    }

  out_dir = argv[1];
  pcb_dir = g_build_filename (out_dir, "pcb", NULL);
  doc_dir = g_build_filename (out_dir, "documents", NULL);
  csv_path = g_build_filename (out_dir, "readings.csv", NULL);
  manifest_path = g_build_filename (out_dir, "manifest.json", NULL);

  if (g_mkdir_with_parents (pcb_dir, 0755) != 0 || g_mkdir_with_parents (doc_dir, 0755) != 0)
    {
      g_printerr ("Could not create %s: %s\n", out_dir, g_strerror (errno));
      return 1;
    }
  if (!clear_dir (pcb_dir, ".png", &error) || !clear_dir (doc_dir, ".pdf", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  n_images = opt_minimal ? 1 : N_IMAGES;
  n_docs = opt_minimal ? 1 : (int) G_N_ELEMENTS (documents);
  n_rows = opt_minimal ? 20 : N_READINGS;

  crc_init ();
  /* Set up fontconfig once before the workers need it. */
  (void) pango_cairo_font_map_get_default ();

  /* Images on worker threads; documents and readings meanwhile here. */
  imgs = g_new0 (Img, n_images);
  pool = g_thread_pool_new (image_worker, (gpointer) out_dir, (int) MAX (g_get_num_processors (), 1), FALSE, &error);
  if (pool == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  plan_defects (imgs, n_images);
  for (int i = 0; i < n_images; i++)
    g_thread_pool_push (pool, &imgs[i], NULL);

  pages = g_new0 (int, n_docs);
  for (int i = 0; i < n_docs && error == NULL; i++)
    pages[i] = render_document (&documents[i], out_dir, &error);
  if (error == NULL)
    write_readings (csv_path, n_rows, &rows_written, &error);

  g_thread_pool_free (pool, FALSE, TRUE);

  for (int i = 0; i < n_images && error == NULL; i++)
    if (imgs[i].error != NULL)
      error = g_error_copy (imgs[i].error);
  if (error != NULL)
    {
      g_printerr ("dbw-demo-gen: %s\n", error->message);
      for (int i = 0; i < n_images; i++)
        img_clear (&imgs[i]);
      return 1;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "generator");
  json_builder_add_string_value (b, "dbw-demo-gen");
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, DEMO_SEED);
  json_builder_set_member_name (b, "minimal");
  json_builder_add_boolean_value (b, opt_minimal);

  json_builder_set_member_name (b, "defect_classes");
  json_builder_begin_array (b);
  for (int i = DEFECT_NONE + 1; i < N_DEFECTS; i++)
    json_builder_add_string_value (b, defect_names[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "images");
  json_builder_begin_array (b);
  for (int i = 0; i < n_images; i++)
    add_image_json (b, &imgs[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "documents");
  json_builder_begin_array (b);
  for (int i = 0; i < n_docs; i++)
    {
      const DocInfo *in = &documents[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, in->file);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, in->title);
      json_builder_set_member_name (b, "doc_type");
      json_builder_add_string_value (b, in->doc_type);
      json_builder_set_member_name (b, "pages");
      json_builder_add_int_value (b, pages[i]);
      json_builder_set_member_name (b, "document_number");
      json_builder_add_string_value (b, in->number);
      json_builder_set_member_name (b, "revision");
      if (in->revision != NULL)
        json_builder_add_string_value (b, in->revision);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "tables");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, "readings.csv");
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, rows_written);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    json_builder_add_string_value (b, csv_columns[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  if (!json_generator_to_file (gen, manifest_path, &error))
    {
      g_printerr ("dbw-demo-gen: %s\n", error->message);
      return 1;
    }

  for (int i = 0; i < n_images; i++)
    img_clear (&imgs[i]);

  /* The stamp comes last: it tells the build that everything is there. */
  if (argc == 3)
    {
      g_autofree char *stamp = g_strdup_printf ("%d images, %d documents, %d readings\n", n_images, n_docs, rows_written);

      if (!g_file_set_contents (argv[2], stamp, -1, &error))
        {
          g_printerr ("dbw-demo-gen: %s\n", error->message);
          return 1;
        }
    }

  g_debug ("generated in %.1f s", (g_get_monotonic_time () - start) / 1e6);

  return 0;
}

