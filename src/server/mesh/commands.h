/* ternd mesh control commands for the control socket. */
#ifndef TERND_MESH_CONTROL_H
#define TERND_MESH_CONTROL_H

#include "server/control/control.h"
#include "server/mesh/node.h"

/* Add mesh-blocks, mesh-options, mesh-set-option, mesh-remove-option. */
int ternd_mesh_control_register(struct ternd_mesh_node *n,
				struct ternd_control *c);

#endif
