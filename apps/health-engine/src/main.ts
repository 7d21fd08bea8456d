console.log('health-engine: not implemented yet');
