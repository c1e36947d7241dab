import type { EmbeddedBus } from '@murmur/embedded-bus';
import type { BusPort, IdempotencyPort, Logger, PublishEntry, ServiceDeclaration } from '@murmur/ports';
import type { MountedRoute } from './http-server.js';

export class ServicePublishDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
}

/** The bus as one service may use it: only its own source and declared detail-types (the bus policy on AWS). */
export function scopedBus(bus: EmbeddedBus, service: ServiceDeclaration): BusPort {
  return {
    publish: async (entries: PublishEntry | PublishEntry[]) => {
      for (const entry of Array.isArray(entries) ? entries : [entries]) {
        if (entry.source !== service.source || !service.publishes.includes(entry.detailType)) {
          throw new ServicePublishDeniedError(
            `service ${service.name} may publish only ${service.publishes.join(', ') || 'nothing'} ` +
              `from ${service.source}, not ${entry.detailType} from ${entry.source}`,
          );
        }
      }
      return bus.publish(entries);
    },
  };
}

/** Every service's declared routes, bound to their handlers and ports. */
export function mountRoutes(
  services: readonly ServiceDeclaration[],
  ports: { bus: EmbeddedBus; idempotency: IdempotencyPort; log: Logger },
): MountedRoute[] {
  return services.flatMap((service) =>
    (service.routes ?? []).map((route) => ({
      route,
      handler: service.routeHandlers![route.handler]!,
      context: {
        bus: scopedBus(ports.bus, service),
        log: ports.log.child({ service: service.name, route: `${route.method} ${route.path}` }),
        idempotency: ports.idempotency,
      },
    })),
  );
}
