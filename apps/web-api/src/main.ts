console.log('web-api: not implemented yet');
