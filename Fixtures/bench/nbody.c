/* nbody: gravitational n-body simulation in f64 (Kiln benchmark corpus, a WASI command).
 *
 *   nbody [STEPS]      number of time steps (default 200000)
 *
 * Measures: f64 arithmetic with square roots and divisions over a small, cache-resident array of structs.
 * 48 bodies (a heavy central mass and 47 light ones on roughly circular orbits drawn from a fixed seed)
 * advance by semi-implicit Euler: every step visits all 1128 pairs once, updating both bodies' velocities
 * (softened gravity), then moves every body. Only +, -, *, / and sqrt are used, all correctly rounded in
 * IEEE arithmetic, and nothing is contracted, so every engine computes the same bits.
 *
 * Prints the energy before and after, and a 64-bit checksum over the final positions and velocities.
 */
#pragma STDC FP_CONTRACT OFF
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODIES 48
#define SOFTENING2 1e-4
#define DT 1e-3

typedef struct {
  double x, y, z;
  double vx, vy, vz;
  double mass;
} body;

static uint64_t rng_state = 0xD1B54A32D192ED03ull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static double random_unit(void) { return (double)(next_random() >> 11) * (2.0 / 9007199254740992.0) - 1.0; }

static uint64_t mix(uint64_t hash, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  hash = (hash ^ bits) * 0x9E3779B97F4A7C15ull;
  return hash ^ (hash >> 29);
}

static void setup(body* b) {
  b[0] = (body){0, 0, 0, 0, 0, 0, 1000.0};
  for (int i = 1; i < BODIES; i++) {
    double x, y, r2;
    do { /* a point in the unit disc, away from the centre */
      x = random_unit();
      y = random_unit();
      r2 = x * x + y * y;
    } while (r2 > 1.0 || r2 < 0.04);
    double r = sqrt(r2) * 10.0;
    double z = random_unit() * 0.3;
    double speed = sqrt(1000.0 / r) * (0.9 + 0.2 * (random_unit() + 1.0) * 0.5);
    double inv = 1.0 / sqrt(r2);
    b[i] = (body){x * 10.0, y * 10.0, z, -y * inv * speed, x * inv * speed, random_unit() * 0.1,
                  0.01 + (random_unit() + 1.0) * 0.5};
  }
  double px = 0, py = 0, pz = 0; /* give the central mass the opposite momentum: the centre stays put */
  for (int i = 1; i < BODIES; i++) {
    px = px + b[i].vx * b[i].mass;
    py = py + b[i].vy * b[i].mass;
    pz = pz + b[i].vz * b[i].mass;
  }
  b[0].vx = -px / b[0].mass;
  b[0].vy = -py / b[0].mass;
  b[0].vz = -pz / b[0].mass;
}

static double energy(const body* b) {
  double e = 0.0;
  for (int i = 0; i < BODIES; i++) {
    e = e + 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < BODIES; j++) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e = e - b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING2);
    }
  }
  return e;
}

static void advance(body* b) {
  for (int i = 0; i < BODIES; i++) {
    for (int j = i + 1; j < BODIES; j++) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
      double magnitude = DT / (d2 * sqrt(d2));
      double mi = b[i].mass * magnitude, mj = b[j].mass * magnitude;
      b[i].vx = b[i].vx - dx * mj;
      b[i].vy = b[i].vy - dy * mj;
      b[i].vz = b[i].vz - dz * mj;
      b[j].vx = b[j].vx + dx * mi;
      b[j].vy = b[j].vy + dy * mi;
      b[j].vz = b[j].vz + dz * mi;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    b[i].x = b[i].x + DT * b[i].vx;
    b[i].y = b[i].y + DT * b[i].vy;
    b[i].z = b[i].z + DT * b[i].vz;
  }
}

int main(int argc, char** argv) {
  long steps = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
  if (steps < 0) {
    fprintf(stderr, "usage: nbody [STEPS], STEPS >= 0\n");
    return 2;
  }
  body* bodies = malloc(BODIES * sizeof(body));
  if (bodies == NULL) return 1;
  setup(bodies);
  double before = energy(bodies);
  for (long s = 0; s < steps; s++) advance(bodies);
  double after = energy(bodies);

  uint64_t checksum = 0;
  for (int i = 0; i < BODIES; i++) {
    const body* p = &bodies[i];
    const double fields[6] = {p->x, p->y, p->z, p->vx, p->vy, p->vz};
    for (int f = 0; f < 6; f++) checksum = mix(checksum, fields[f]);
  }
  printf("nbody: %d bodies, %ld steps\n", BODIES, steps);
  printf("energy before=%.15e after=%.15e\n", before, after);
  printf("body[1] at %.15e %.15e %.15e\n", bodies[1].x, bodies[1].y, bodies[1].z);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(bodies);
  return 0;
}
