import { type RouteConfig, index, route } from '@react-router/dev/routes';

export default [
  index('routes/portal.tsx'),
  route('lookup/:what', 'routes/lookup.ts'),
  route('lang', 'routes/lang.ts'),
  route('c', 'routes/open-case.tsx'),
  route('case/:id', 'routes/case.tsx'),
  route('models', 'routes/models.tsx'),
  route('merchant', 'routes/merchant.tsx'),
  route('merchant/case/:id', 'routes/merchant-case.tsx'),
  route('merchant/escrow', 'routes/merchant-escrow.tsx'),
  route('merchant/keys', 'routes/merchant-keys.tsx'),
  route('merchant/webhooks', 'routes/merchant-webhooks.tsx'),
  route('merchant/webhooks/:id', 'routes/merchant-webhook.tsx'),
  route('arbitrator', 'routes/arbitrator.tsx'),
  route('arbitrator/case/:id', 'routes/arbitrator-case.tsx'),
  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig;
