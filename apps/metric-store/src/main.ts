console.log('metric-store: not implemented yet');
