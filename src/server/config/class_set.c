/* ternd client classes: a packet's class set, as both engines keep it
 * (Kea's ClientClasses: each class once, in the order it joined). */
#include <string.h>

#include "server/config/config.h"

void ternd_class_set_clear(struct ternd_class_set *s, size_t n_classes,
			   const uint8_t *gives_of)
{
	s->words = (uint16_t)((n_classes + 63) / 64);
	s->n = 0;
	s->gives = 0;
	s->gives_of = gives_of;
	memset(s->set, 0, s->words * sizeof(s->set[0]));
}

void ternd_class_set_add(struct ternd_class_set *s, uint16_t i)
{
	if (ternd_class_set_has(s, i))
		return;
	s->set[i >> 6] |= UINT64_C(1) << (i & 63);
	s->order[s->n++] = i;
	if (s->gives_of)
		s->gives |= s->gives_of[i];
}

void ternd_class_set_add_names(struct ternd_class_set *s,
			       const struct ternd_config *cfg,
			       const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int32_t idx = ternd_config_class_find(cfg, names[i],
						      strlen(names[i]));

		if (idx >= 0)
			ternd_class_set_add(s, (uint16_t)idx);
	}
}

void ternd_class_set_remove_tested(struct ternd_class_set *s,
				   const struct ternd_config *cfg)
{
	uint16_t k = 0;

	s->gives = 0;
	for (uint16_t i = 0; i < s->n; i++) {
		uint16_t idx = s->order[i];

		if (cfg->classes.v[idx].test) {
			s->set[idx >> 6] &= ~(UINT64_C(1) << (idx & 63));
		} else {
			s->order[k++] = idx;
			if (s->gives_of)
				s->gives |= s->gives_of[idx];
		}
	}
	s->n = k;
}

void ternd_class_use_required(const struct ternd_class_use *u, uint16_t *list,
			      size_t *n)
{
	for (size_t i = 0; i < u->n_required; i++) {
		size_t k = 0;

		while (k < *n && list[k] != u->required[i])
			k++;
		if (k == *n)
			list[(*n)++] = u->required[i];
	}
}
